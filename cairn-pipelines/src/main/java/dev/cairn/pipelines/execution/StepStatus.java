package dev.cairn.pipelines.execution;

/** The state of one step within a pipeline execution. */
public enum StepStatus {
    PENDING,
    RUNNING,
    /** Ran and exited successfully. */
    SUCCEEDED,
    /** Not run: its outputs were restored from the step cache. */
    CACHED,
    FAILED,
    /** Not run: its {@code when} condition was false, or an output it consumes was not produced. */
    SKIPPED,
    /** Not run or stopped: the execution was cancelled, or a step it depends on failed. */
    CANCELLED;

    /** Whether the step's outputs are available to its dependents. */
    public boolean produced() {
        return this == SUCCEEDED || this == CACHED;
    }

    public boolean isTerminal() {
        return this != PENDING && this != RUNNING;
    }
}
