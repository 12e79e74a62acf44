package dev.cairn.pipelines.execution;

/** Hears of each step of an execution as it reaches its end state (to print progress, say). */
@FunctionalInterface
public interface StepListener {
    StepListener NONE = (pipelineRunId, step) -> {};

    void stepFinished(String pipelineRunId, StepRunRecord step);
}
