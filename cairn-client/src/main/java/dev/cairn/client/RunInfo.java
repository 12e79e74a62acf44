package dev.cairn.client;

/**
 * The identity and lifecycle of a run.
 *
 * @param startTime milliseconds since the epoch
 * @param endTime milliseconds since the epoch, 0 while the run has not ended
 * @param artifactUri where the run's artifacts live, {@code mlflow-artifacts:/<experiment>/<run>/artifacts}
 * @param lifecycleStage {@code active} or {@code deleted}
 */
public record RunInfo(
        String runId,
        String runName,
        String experimentId,
        String userId,
        RunStatus status,
        long startTime,
        long endTime,
        String artifactUri,
        String lifecycleStage) {}
