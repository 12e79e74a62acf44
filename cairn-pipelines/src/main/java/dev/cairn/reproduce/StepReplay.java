package dev.cairn.reproduce;

import dev.cairn.core.CairnException;
import dev.cairn.core.ErrorCode;
import dev.cairn.datasets.DatasetVersions;
import dev.cairn.pipelines.OutputSpec;
import dev.cairn.pipelines.ParamType;
import dev.cairn.pipelines.Pipeline;
import dev.cairn.pipelines.Step;
import dev.cairn.pipelines.Triggers;
import dev.cairn.pipelines.execution.PipelineEngine;
import dev.cairn.pipelines.execution.PipelineRunRecord;
import dev.cairn.pipelines.execution.RunOptions;
import dev.cairn.pipelines.execution.StepRunRecord;
import dev.cairn.pipelines.execution.StepStatus;
import dev.cairn.provenance.EntryPoint;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Re-executes one recorded pipeline step in a code checkout: the step as its pipeline run recorded
 * it, alone, with the cache off, the same parameters, and each input pinned to what the run read
 * (dataset versions by id, upstream outputs from their stored blobs, files from the checkout or,
 * for files outside the repository, from where the run read them).
 */
final class StepReplay {
    /** Tags the reproduction's pipeline run with the run it reproduces. */
    static final String REPRODUCTION_OF_TAG = "cairn.reproduction.of";

    private StepReplay() {}

    /** The reproduction's step run, or why the step did not succeed (and the kind of cause that is). */
    record Outcome(Optional<String> runId, Optional<String> failure, String failureKind) {
        Outcome(Optional<String> runId, Optional<String> failure) {
            this(runId, failure, "execution");
        }
    }

    /** Re-runs the step alone; its timeout is the one recorded or {@code limit}, whichever is shorter. */
    static Outcome replay(
            PipelineEngine engine, DatasetVersions datasets, RecordedRun run, CodeCheckout code, Duration limit) {
        EntryPoint entry = run.provenance().entryPoint();
        String pipelineRunId = run.tag("cairn.pipeline.run_id")
                .orElseThrow(() -> new CairnException(
                        ErrorCode.INVALID_STATE,
                        "run " + run.id() + " records a pipeline step but no tag cairn.pipeline.run_id"));
        Pipeline recorded = engine.pipelineOf(pipelineRunId);
        PipelineRunRecord execution = engine.status(pipelineRunId);
        Step step = recorded.step(entry.name());
        // The pipeline run captured its code version in its project directory: the same place in the checkout.
        Path project = code.workingDirectory();
        Map<String, String> inputs = pinInputs(engine, datasets, run, code, recorded.projectDir(), project);
        requireOutputsInside(run, step);
        Step alone = new Step(
                step.name(),
                step.action(),
                inputs,
                step.outputs(),
                List.of(),
                step.params(),
                step.env(),
                step.code(),
                step.workdir(),
                0,
                Optional.of(step.timeout().filter(t -> t.compareTo(limit) < 0).orElse(limit)),
                Optional.empty());
        Pipeline pipeline = new Pipeline(
                recorded.name(),
                recorded.params(),
                Map.of(step.name(), alone),
                Optional.empty(),
                Triggers.NONE,
                project);
        Map<String, String> params = new TreeMap<>();
        execution.params().forEach((k, v) -> params.put(k, ParamType.format(v)));
        params.putAll(entry.params());
        PipelineRunRecord result =
                engine.run(pipeline, new RunOptions(params, false, true, Map.of(REPRODUCTION_OF_TAG, run.id())));
        StepRunRecord s = result.step(step.name());
        Optional<String> failure = s.status() == StepStatus.SUCCEEDED
                ? Optional.empty()
                : Optional.of("the step ended " + s.status()
                        + s.message().map(m -> ": " + m).orElse(""));
        return new Outcome(s.trackingRunId(), failure);
    }

    private static Map<String, String> pinInputs(
            PipelineEngine engine,
            DatasetVersions datasets,
            RecordedRun run,
            CodeCheckout code,
            Path recordedProject,
            Path project) {
        Map<String, String> pinned = new LinkedHashMap<>();
        for (EntryPoint.Input in : run.provenance().entryPoint().inputs()) {
            switch (in.kind()) {
                case "code" -> {
                    // Code files come with the checkout; the comparison names any that differ.
                }
                case "dataset" -> pinned.put(in.name(), pinDataset(datasets, run, in));
                case "output-file", "output-dir" -> {
                    Path target = code.scratch("inputs").resolve(in.name());
                    engine.restoreOutput(in.sha256(), in.kind().equals("output-dir"), target);
                    pinned.put(in.name(), target.toString());
                }
                default -> pinned.put(in.name(), pinFile(run, in, recordedProject, project));
            }
        }
        return pinned;
    }

    private static String pinDataset(DatasetVersions datasets, RecordedRun run, EntryPoint.Input in) {
        String rest = in.reference().substring("dataset:".length());
        int colon = rest.indexOf(':');
        String name = colon < 0 ? rest : rest.substring(0, colon);
        String ref = name + ":" + in.sha256();
        try {
            datasets.resolve(ref);
        } catch (CairnException e) {
            throw new CairnException(
                    ErrorCode.RESOURCE_DOES_NOT_EXIST,
                    "dataset version " + ref + " that run " + run.id() + " read as input '" + in.name()
                            + "' no longer exists: " + e.getMessage(),
                    e);
        }
        return "dataset:" + ref;
    }

    private static String pinFile(RecordedRun run, EntryPoint.Input in, Path recordedProject, Path project) {
        Path read = Path.of(in.path());
        if (read.startsWith(recordedProject)) {
            Path inCheckout = project.resolve(recordedProject.relativize(read));
            if (Files.exists(inCheckout)) {
                return inCheckout.toString();
            }
        }
        if (Files.exists(read)) {
            return read.toString(); // outside the repository (or ignored by git): read where the run read it
        }
        throw new CairnException(
                ErrorCode.RESOURCE_DOES_NOT_EXIST,
                "input '" + in.name() + "' of run " + run.id() + " (" + read
                        + ") is neither in the recorded code nor on disk any more");
    }

    // A re-run must never overwrite what the recorded run or anyone else wrote outside the checkout.
    private static void requireOutputsInside(RecordedRun run, Step step) {
        for (OutputSpec out : step.outputs().values()) {
            Path path = Path.of(out.path());
            if (path.isAbsolute() || path.normalize().startsWith("..")) {
                throw CairnException.invalid("output '" + out.name() + "' of run " + run.id() + " is written to " + path
                        + ", outside the project: a reproduction would overwrite it");
            }
        }
    }
}
