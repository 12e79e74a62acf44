package dev.cairn.cards;

import dev.cairn.cards.CardDocument.Block;
import dev.cairn.cards.CardDocument.Fact;
import dev.cairn.cards.CardDocument.Facts;
import dev.cairn.cards.CardDocument.Heading;
import dev.cairn.cards.CardDocument.Note;
import dev.cairn.cards.CardDocument.Section;
import dev.cairn.cards.CardDocument.Table;
import dev.cairn.evaluation.EvaluationResult;
import dev.cairn.evaluation.Fairness;
import dev.cairn.evaluation.GateCheck;
import dev.cairn.evaluation.GroupRates;
import dev.cairn.evaluation.Metric;
import dev.cairn.evaluation.MetricValues;
import dev.cairn.evaluation.ModelComparison;
import dev.cairn.evaluation.Slice;
import dev.cairn.tracking.Run;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/** The sections a recorded evaluation and the run's metrics fill: factors evaluated, metrics, quantitative analyses. */
final class AnalysisLayout {
    private static final String NO_EVALUATION =
            "Not recorded: no evaluation is recorded on this version (tag " + EvaluationRecords.TAG + ").";

    private AnalysisLayout() {}

    /** The slice columns and fairness attributes the evaluation measured: the factors as recorded. */
    static List<Block> recordedFactors(ModelCard card) {
        Optional<EvaluationResult> result = result(card);
        if (result.isEmpty()) {
            return List.of(new Note("No evaluated factors: " + NO_EVALUATION));
        }
        Set<String> columns = new LinkedHashSet<>();
        result.get().slices().forEach(s -> columns.add(s.column()));
        Set<String> attributes = new LinkedHashSet<>();
        result.get().fairness().forEach(f -> attributes.add(f.attribute()));
        return List.of(
                new Heading("Factors evaluated"),
                new Facts(List.of(
                        new Fact("Slice columns", columns.isEmpty() ? "none" : String.join(", ", columns)),
                        new Fact(
                                "Fairness attributes",
                                attributes.isEmpty() ? "none" : String.join(", ", attributes)))));
    }

    static Section metrics(ModelCard card) {
        List<Block> blocks = new ArrayList<>();
        Optional<EvaluationResult> result = result(card);
        if (result.isPresent()) {
            EvaluationResult r = result.get();
            List<String> measured = r.task().metrics().stream()
                    .filter(m -> r.overall().candidate().value(m).isPresent())
                    .map(Metric::id)
                    .toList();
            blocks.add(new Facts(List.of(
                    new Fact("Task", r.task().name().toLowerCase(Locale.ROOT)),
                    new Fact("Measured on the holdout", measured.isEmpty() ? "none" : String.join(", ", measured)),
                    new Fact(
                            "Fairness metrics",
                            r.fairness().isEmpty()
                                    ? "none"
                                    : "demographic_parity_difference, equal_opportunity_difference"))));
            List<GateCheck> checks = checks(card);
            if (!checks.isEmpty()) {
                blocks.add(new Heading("Gate thresholds"));
                List<List<String>> rows = new ArrayList<>();
                new LinkedHashSet<>(checks.stream()
                                .map(c -> List.of(c.kind(), c.metric(), Text.number(c.threshold())))
                                .toList())
                        .forEach(rows::add);
                blocks.add(new Table(List.of("Kind", "Metric", "Threshold"), rows));
            }
        } else {
            blocks.add(new Note(NO_EVALUATION));
        }
        List<String> logged = card.run().map(Run::latestMetrics).orElse(List.of()).stream()
                .map(dev.cairn.tracking.Metric::key)
                .distinct()
                .sorted()
                .toList();
        blocks.add(
                logged.isEmpty()
                        ? new Note("The source run logged no metrics.")
                        : new Facts(List.of(new Fact("Logged by the source run", String.join(", ", logged)))));
        return new Section("Metrics", blocks);
    }

    static Section quantitative(ModelCard card) {
        List<Block> blocks = new ArrayList<>();
        blocks.add(new Heading("Metrics logged by the source run"));
        List<dev.cairn.tracking.Metric> logged =
                card.run().map(Run::latestMetrics).orElse(List.of());
        if (logged.isEmpty()) {
            blocks.add(new Note("Not recorded: the source run logged no metrics."));
        } else {
            List<List<String>> rows = new ArrayList<>();
            logged.stream()
                    .sorted(Comparator.comparing(dev.cairn.tracking.Metric::key))
                    .forEach(m -> rows.add(List.of(m.key(), Text.number(m.value()), Long.toString(m.step()))));
            blocks.add(new Table(List.of("Metric", "Latest value", "Step"), rows));
        }
        Optional<ModelCard.RecordedEvaluation> recorded = card.evaluation();
        if (recorded.isEmpty()) {
            blocks.add(new Heading("Evaluation on the holdout"));
            blocks.add(new Note(NO_EVALUATION));
            return new Section("Quantitative analyses", blocks);
        }
        EvaluationResult r = recorded.get().evaluation().result();
        blocks.add(new Heading("Overall, on the holdout"));
        blocks.add(overall(r));
        blocks.add(new Note("Recorded in " + recorded.get().location() + "."));
        blocks.add(new Heading("Slices"));
        blocks.add(r.slices().isEmpty() ? new Note("The evaluation measured no slices.") : slices(r));
        blocks.add(new Heading("Fairness"));
        if (r.fairness().isEmpty()) {
            blocks.add(new Note("The evaluation measured no fairness attribute."));
        } else {
            blocks.add(fairness(r.fairness()));
            blocks.add(groups(r.fairness()));
        }
        blocks.add(new Heading("Thresholds and verdicts"));
        List<GateCheck> checks = checks(card);
        blocks.add(checks.isEmpty() ? new Note("The gate had no thresholds.") : verdicts(checks));
        return new Section("Quantitative analyses", blocks);
    }

    private static Table overall(EvaluationResult r) {
        ModelComparison overall = r.overall();
        List<List<String>> rows = new ArrayList<>();
        rows.add(List.of(
                "rows",
                Long.toString(overall.count()),
                overall.baseline().map(b -> Long.toString(b.count())).orElse("no baseline")));
        for (Metric m : r.task().metrics()) {
            rows.add(List.of(
                    m.id(),
                    value(overall.candidate(), m),
                    overall.baseline().map(b -> value(b, m)).orElse("no baseline")));
        }
        return new Table(List.of("Metric", "Candidate", "Baseline (champion)"), rows);
    }

    private static Table slices(EvaluationResult r) {
        List<Metric> metrics = r.task().metrics();
        List<String> header = new ArrayList<>(List.of("Column", "Value", "Rows"));
        metrics.forEach(m -> header.add(m.id()));
        List<List<String>> rows = new ArrayList<>();
        for (Slice s : r.slices()) {
            List<String> row = new ArrayList<>(
                    List.of(s.column(), s.value(), Long.toString(s.metrics().count())));
            for (Metric m : metrics) {
                String cell = value(s.metrics().candidate(), m);
                Optional<MetricValues> baseline = s.metrics().baseline();
                row.add(baseline.isPresent() ? cell + " (baseline " + value(baseline.get(), m) + ")" : cell);
            }
            rows.add(row);
        }
        return new Table(header, rows);
    }

    private static Table fairness(List<Fairness> fairness) {
        List<List<String>> rows = new ArrayList<>();
        for (Fairness f : fairness) {
            rows.add(List.of(
                    f.attribute(),
                    Text.number(f.demographicParityDifference()),
                    Text.number(f.equalOpportunityDifference()),
                    f.equalOpportunityNote()));
        }
        return new Table(
                List.of("Attribute", "Demographic parity difference", "Equal opportunity difference", "Note"), rows);
    }

    private static Table groups(List<Fairness> fairness) {
        List<List<String>> rows = new ArrayList<>();
        for (Fairness f : fairness) {
            for (GroupRates g : f.groups()) {
                rows.add(List.of(
                        f.attribute(),
                        g.group(),
                        Long.toString(g.count()),
                        Long.toString(g.positives()),
                        Text.number(g.selectionRate()),
                        Text.number(g.truePositiveRate())));
            }
        }
        return new Table(
                List.of("Attribute", "Group", "Rows", "Positives", "Selection rate", "True-positive rate"), rows);
    }

    private static Table verdicts(List<GateCheck> checks) {
        List<List<String>> rows = new ArrayList<>();
        for (GateCheck c : checks) {
            rows.add(List.of(
                    c.kind(),
                    c.metric(),
                    c.scope(),
                    Text.number(c.value()),
                    Text.number(c.baseline()),
                    Text.number(c.threshold()),
                    c.status().name(),
                    c.reason()));
        }
        return new Table(
                List.of("Kind", "Metric", "Scope", "Value", "Baseline", "Threshold", "Verdict", "Reason"), rows);
    }

    private static String value(MetricValues values, Metric m) {
        if (values.value(m).isPresent()) {
            return Text.number(values.value(m).getAsDouble());
        }
        return values.undefinedReason(m).map(reason -> "undefined: " + reason).orElse("n/a");
    }

    private static Optional<EvaluationResult> result(ModelCard card) {
        return card.evaluation().map(e -> e.evaluation().result());
    }

    private static List<GateCheck> checks(ModelCard card) {
        return card.evaluation().map(e -> e.evaluation().blessing().checks()).orElse(List.of());
    }
}
