package dev.cairn.pipelines.execution;

import java.util.List;

/**
 * What {@code cairn pipeline explain} says of a step: whether the next execution would take it
 * from the cache, and why (each key component that differs from the last execution of the step).
 */
public record StepExplanation(String step, Verdict verdict, String cacheKey, List<String> reasons) {
    /** The predicted outcome for a step. */
    public enum Verdict {
        HIT,
        MISS,
        SKIP
    }

    public StepExplanation {
        reasons = List.copyOf(reasons);
    }
}
