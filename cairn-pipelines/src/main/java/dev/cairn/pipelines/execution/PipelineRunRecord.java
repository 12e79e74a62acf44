package dev.cairn.pipelines.execution;

import dev.cairn.core.CairnException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * One pipeline execution as recorded: its status, the step that failed, and its steps in spec order.
 *
 * @param owner the process executing it ({@code pid@host}), used to tell a killed execution from a running one
 */
public record PipelineRunRecord(
        String id,
        String pipelineName,
        String trackingRunId,
        PipelineStatus status,
        Optional<String> message,
        Optional<String> failedStep,
        Map<String, Object> params,
        String owner,
        long startTime,
        OptionalLong endTime,
        List<StepRunRecord> steps) {
    public PipelineRunRecord {
        params = Map.copyOf(params);
        steps = List.copyOf(steps);
    }

    public StepRunRecord step(String name) {
        return steps.stream()
                .filter(s -> s.step().equals(name))
                .findFirst()
                .orElseThrow(() -> CairnException.notFound("pipeline run " + id + " has no step '" + name + "'"));
    }
}
