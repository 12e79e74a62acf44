package dev.cairn.tracking;

import java.util.Optional;
import java.util.OptionalLong;

/** The attributes of a run (MLflow's {@code RunInfo}); {@code runId} is 32 lower-case hex digits. */
public record RunInfo(
        String runId,
        String experimentId,
        String runName,
        String userId,
        RunStatus status,
        long startTime,
        OptionalLong endTime,
        String artifactUri,
        LifecycleStage lifecycleStage) {
    public Optional<Long> endTimeBoxed() {
        return endTime.isPresent() ? Optional.of(endTime.getAsLong()) : Optional.empty();
    }
}
