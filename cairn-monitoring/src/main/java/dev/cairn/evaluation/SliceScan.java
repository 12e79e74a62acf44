package dev.cairn.evaluation;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;

/** One slice threshold applied to every slice: the worst slice, the failing ones, the undefined count. */
record SliceScan(Optional<Slice> worst, double worstValue, double worstBaseline, List<Slice> failing, int undefined) {
    private static final int SHOWN = 5;

    static SliceScan of(SliceThreshold t, List<Slice> slices) {
        Slice worst = null;
        double worstScore = Double.NaN;
        double worstValue = Double.NaN;
        double worstBaseline = Double.NaN;
        List<Slice> failing = new ArrayList<>();
        int undefined = 0;
        for (Slice s : slices) {
            OptionalDouble c = s.metrics().candidate().value(t.metric());
            OptionalDouble b =
                    s.metrics().baseline().map(m -> m.value(t.metric())).orElse(OptionalDouble.empty());
            boolean degradation = t.rule() == SliceThreshold.Rule.MAX_DEGRADATION;
            if (c.isEmpty() || (degradation && b.isEmpty())) {
                undefined++;
                continue;
            }
            double value = degradation
                    ? -GateJudge.improvement(t.metric(), c.getAsDouble() - b.getAsDouble())
                    : c.getAsDouble();
            // Badness: larger is worse for every rule, so one comparison finds the worst slice.
            double score = t.rule() == SliceThreshold.Rule.MIN ? -value : value;
            boolean fails = t.rule() == SliceThreshold.Rule.MIN ? value < t.value() : value > t.value();
            if (fails) {
                failing.add(s);
            }
            if (worst == null || score > worstScore) {
                worst = s;
                worstScore = score;
                worstValue = value;
                worstBaseline = b.orElse(Double.NaN);
            }
        }
        return new SliceScan(Optional.ofNullable(worst), worstValue, worstBaseline, failing, undefined);
    }

    List<String> failingShown() {
        List<String> out = new ArrayList<>();
        for (Slice s : failing.subList(0, Math.min(SHOWN, failing.size()))) {
            out.add(s.column() + "=" + s.value());
        }
        if (failing.size() > SHOWN) {
            out.add("...");
        }
        return out;
    }
}
