package dev.cairn.pipelines.builtin;

import dev.cairn.tracking.Metric;
import dev.cairn.tracking.TrackingStore;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * What a built-in step receives: its configuration ({@code with}, references substituted),
 * parameter values, resolved input paths, output paths to write, and its tracked run.
 *
 * @param log the step's stdout log
 * @param services what the process shares with steps (database, stores, deployments)
 */
public record BuiltinContext(
        String stepName,
        Map<String, Object> with,
        Map<String, Object> params,
        Map<String, Path> inputs,
        Map<String, Path> outputs,
        Path workDir,
        String trackingRunId,
        TrackingStore tracking,
        PrintStream log,
        StepServices services) {
    public BuiltinContext {
        with = Map.copyOf(with);
        params = Map.copyOf(params);
        inputs = Map.copyOf(inputs);
        outputs = Map.copyOf(outputs);
    }

    /** A context without shared services. */
    public BuiltinContext(
            String stepName,
            Map<String, Object> with,
            Map<String, Object> params,
            Map<String, Path> inputs,
            Map<String, Path> outputs,
            Path workDir,
            String trackingRunId,
            TrackingStore tracking,
            PrintStream log) {
        this(stepName, with, params, inputs, outputs, workDir, trackingRunId, tracking, log, StepServices.none());
    }

    /** Logs one metric point to the step's run. */
    public void logMetric(String key, double value, long step) {
        tracking.logBatch(
                trackingRunId, List.of(new Metric(key, value, System.currentTimeMillis(), step)), List.of(), List.of());
    }

    /** The tracked run of the pipeline execution this step belongs to (the parent of the step's run). */
    public String pipelineRunId() {
        return tracking.getRun(trackingRunId).tags().stream()
                .filter(t -> t.key().equals("cairn.pipeline.run_id"))
                .map(t -> t.value())
                .findFirst()
                .orElse(trackingRunId);
    }

    /** The experiment of the step's run. */
    public String experimentId() {
        return tracking.getRun(trackingRunId).info().experimentId();
    }
}
