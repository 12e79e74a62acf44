package dev.cairn.pipelines.execution;

/** The state of one pipeline execution. */
public enum PipelineStatus {
    RUNNING,
    SUCCEEDED,
    FAILED,
    CANCELLED;

    public boolean isTerminal() {
        return this != RUNNING;
    }
}
