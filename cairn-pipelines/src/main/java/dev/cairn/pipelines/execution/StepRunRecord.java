package dev.cairn.pipelines.execution;

import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * One step of a pipeline execution as recorded.
 *
 * @param outputs output name to content hash (file SHA-256, or the directory manifest's)
 * @param startSeq order in which steps started within the execution; empty when it never started
 * @param endSeq order in which steps finished within the execution
 */
public record StepRunRecord(
        String step,
        StepStatus status,
        Optional<CacheStatus> cacheStatus,
        Optional<String> cacheKey,
        Optional<String> trackingRunId,
        int attempts,
        Optional<Integer> exitCode,
        Optional<String> message,
        Map<String, String> outputs,
        OptionalLong startSeq,
        OptionalLong endSeq,
        OptionalLong startTime,
        OptionalLong endTime) {
    public StepRunRecord {
        outputs = Map.copyOf(outputs);
    }
}
