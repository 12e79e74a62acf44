package dev.cairn.evaluation;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Everything measured on one holdout: overall metrics of the candidate and the baseline, slices, and
 * the candidate's fairness across each chosen attribute. Gates judge this.
 */
public final class EvaluationResult {
    private final Task task;
    private final ModelComparison overall;
    private final List<Slice> slices;
    private final List<Fairness> fairness;

    public EvaluationResult(Task task, ModelComparison overall, List<Slice> slices, List<Fairness> fairness) {
        this.task = task;
        this.overall = overall;
        this.slices = List.copyOf(slices);
        this.fairness = List.copyOf(fairness);
    }

    public Task task() {
        return task;
    }

    public ModelComparison overall() {
        return overall;
    }

    public List<Slice> slices() {
        return slices;
    }

    public List<Fairness> fairness() {
        return fairness;
    }

    public boolean hasBaseline() {
        return overall.baseline().isPresent();
    }

    /** A JSON-ready view (the shape of {@code evaluation.json}). */
    public Map<String, Object> toMap() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("task", task.name());
        out.put("overall", overall.toMap());
        out.put("slices", slices.stream().map(Slice::toMap).toList());
        out.put("fairness", fairness.stream().map(Fairness::toMap).toList());
        return out;
    }
}
