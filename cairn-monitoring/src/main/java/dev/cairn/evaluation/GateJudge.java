package dev.cairn.evaluation;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalDouble;

/** Applies each threshold of a gate to an evaluation result, one {@link GateCheck} per threshold. */
final class GateJudge {
    private static final String OVERALL = "overall";

    private final EvaluationGate gate;
    private final EvaluationResult result;
    private final List<GateCheck> checks = new ArrayList<>();

    GateJudge(EvaluationGate gate, EvaluationResult result) {
        this.gate = gate;
        this.result = result;
    }

    Blessing judge() {
        gate.metrics().forEach(this::value);
        gate.changes().forEach(this::change);
        gate.sliceThresholds().forEach(this::slice);
        gate.fairnessThresholds().forEach(this::fairness);
        return Blessing.of(checks);
    }

    private void value(ValueThreshold t) {
        MetricValues c = result.overall().candidate();
        OptionalDouble v = c.value(t.metric());
        String id = t.metric().id();
        if (v.isEmpty()) {
            fail(
                    "value",
                    id,
                    OVERALL,
                    Double.NaN,
                    Double.NaN,
                    t.value(),
                    id + " is undefined ("
                            + c.undefinedReason(t.metric()).orElse("not computed") + "), threshold " + id + " "
                            + t.bound().symbol() + " " + fmt(t.value()));
            return;
        }
        boolean ok = t.bound().passes(v.getAsDouble(), t.value());
        add(
                "value",
                id,
                OVERALL,
                ok,
                v.getAsDouble(),
                Double.NaN,
                t.value(),
                id + " " + fmt(v.getAsDouble()) + (ok ? " " : " violates ")
                        + t.bound().symbol() + " " + fmt(t.value()));
    }

    private void change(ChangeThreshold t) {
        String id = t.metric().id();
        String kind = "change";
        Optional<MetricValues> base = result.overall().baseline();
        if (base.isEmpty()) {
            skip(kind, id, OVERALL, t.tolerance(), "no baseline (first model): " + describe(t) + " skipped");
            return;
        }
        OptionalDouble c = result.overall().candidate().value(t.metric());
        OptionalDouble b = base.get().value(t.metric());
        if (c.isEmpty()) {
            fail(
                    kind,
                    id,
                    OVERALL,
                    Double.NaN,
                    b.orElse(Double.NaN),
                    t.tolerance(),
                    "candidate " + id + " is undefined ("
                            + result.overall()
                                    .candidate()
                                    .undefinedReason(t.metric())
                                    .orElse("not computed") + ")");
            return;
        }
        if (b.isEmpty()) {
            skip(
                    kind,
                    id,
                    OVERALL,
                    t.tolerance(),
                    "baseline " + id + " is undefined ("
                            + base.get().undefinedReason(t.metric()).orElse("not computed") + "): " + describe(t)
                            + " skipped");
            return;
        }
        judgeChange(t, c.getAsDouble(), b.getAsDouble());
    }

    private void judgeChange(ChangeThreshold t, double vc, double vb) {
        String id = t.metric().id();
        double delta = vc - vb;
        boolean relative = t.kind() == ChangeThreshold.Kind.RELATIVE;
        String measure = relative ? "(v_c - v_b) / |v_b|" : "v_c - v_b";
        if (relative && vb == 0) {
            // No scale to measure against: only "not worse" can be judged.
            boolean ok = improvement(t.metric(), delta) >= 0;
            add(
                    "change",
                    id,
                    OVERALL,
                    ok,
                    vc,
                    vb,
                    t.tolerance(),
                    id + ": baseline is 0, relative change undefined; " + "candidate " + fmt(vc)
                            + (ok ? " is not worse" : " is worse"));
            return;
        }
        double change = relative ? delta / Math.abs(vb) : delta;
        boolean ok = improvement(t.metric(), change) >= -t.tolerance();
        String bound = t.metric().higherIsBetter() ? ">= " + fmt(-t.tolerance()) : "<= " + fmt(t.tolerance());
        add(
                "change",
                id,
                OVERALL,
                ok,
                vc,
                vb,
                t.tolerance(),
                id + ": " + measure + " = " + fmt(change) + (ok ? " " : " violates ") + bound + " (candidate " + fmt(vc)
                        + ", baseline " + fmt(vb) + ")");
    }

    private void slice(SliceThreshold t) {
        String id = t.metric().id();
        String kind = "slice";
        if (result.slices().isEmpty()) {
            skip(kind, id, "slices", t.value(), "no slices were evaluated: slice threshold on " + id + " skipped");
            return;
        }
        if (t.rule() == SliceThreshold.Rule.MAX_DEGRADATION && !result.hasBaseline()) {
            skip(
                    kind,
                    id,
                    "slices",
                    t.value(),
                    "no baseline (first model): worst-slice degradation of " + id + " skipped");
            return;
        }
        SliceScan scan = SliceScan.of(t, result.slices());
        if (scan.worst().isEmpty()) {
            skip(kind, id, "slices", t.value(), id + " is undefined in all " + scan.undefined() + " slices");
            return;
        }
        Slice worst = scan.worst().get();
        String scope = worst.column() + "=" + worst.value();
        boolean ok = scan.failing().isEmpty();
        String what = t.rule() == SliceThreshold.Rule.MAX_DEGRADATION ? "degradation of " + id : id;
        String reason = "worst slice " + scope + ": " + what + " " + fmt(scan.worstValue())
                + (ok ? " " : " violates ") + (t.rule() == SliceThreshold.Rule.MIN ? ">= " : "<= ") + fmt(t.value())
                + (ok ? "" : " (" + scan.failing().size() + " failing: " + String.join(", ", scan.failingShown()) + ")")
                + (scan.undefined() == 0 ? "" : "; " + scan.undefined() + " slice(s) with " + id + " undefined");
        add(kind, id, scope, ok, scan.worstValue(), scan.worstBaseline(), t.value(), reason);
    }

    private void fairness(FairnessThreshold t) {
        String id = t.metric().id();
        for (String attribute : gate.fairnessAttributes()) {
            Optional<Fairness> f = result.fairness().stream()
                    .filter(x -> x.attribute().equals(attribute))
                    .findFirst();
            if (f.isEmpty()) {
                skip("fairness", id, attribute, t.max(), "fairness across " + attribute + " was not evaluated");
                continue;
            }
            OptionalDouble v = f.get().value(t.metric());
            if (v.isEmpty()) {
                skip(
                        "fairness",
                        id,
                        attribute,
                        t.max(),
                        id + " across " + attribute + " is undefined: "
                                + f.get().undefinedReason(t.metric()).orElse("not computed"));
                continue;
            }
            boolean ok = v.getAsDouble() <= t.max();
            add(
                    "fairness",
                    id,
                    attribute,
                    ok,
                    v.getAsDouble(),
                    Double.NaN,
                    t.max(),
                    id + " across " + attribute + " " + fmt(v.getAsDouble()) + (ok ? " " : " violates ") + "<= "
                            + fmt(t.max()));
        }
    }

    /** How much better {@code change} is, in the metric's direction (negative: worse). */
    static double improvement(Metric metric, double change) {
        return metric.higherIsBetter() ? change : -change;
    }

    private static String describe(ChangeThreshold t) {
        return t.kind().name().toLowerCase(Locale.ROOT) + " change threshold on "
                + t.metric().id();
    }

    static String fmt(double v) {
        return String.format(Locale.ROOT, "%.4f", v);
    }

    private void add(String kind, String metric, String scope, boolean ok, double v, double b, double t, String r) {
        checks.add(new GateCheck(kind, metric, scope, ok ? CheckStatus.PASSED : CheckStatus.FAILED, v, b, t, r));
    }

    private void fail(String kind, String metric, String scope, double v, double b, double t, String reason) {
        add(kind, metric, scope, false, v, b, t, reason);
    }

    private void skip(String kind, String metric, String scope, double t, String reason) {
        checks.add(new GateCheck(kind, metric, scope, CheckStatus.SKIPPED, Double.NaN, Double.NaN, t, reason));
    }
}
