package dev.cairn.reproduce;

import dev.cairn.artifacts.ArtifactRepository;
import dev.cairn.artifacts.BlobStore;
import dev.cairn.core.CairnException;
import dev.cairn.datasets.DatasetVersions;
import dev.cairn.pipelines.builtin.BuiltinSteps;
import dev.cairn.pipelines.execution.PipelineEngine;
import dev.cairn.pipelines.execution.PipelineRunRecord;
import dev.cairn.pipelines.execution.StepRunRecord;
import dev.cairn.provenance.EntryPoint;
import dev.cairn.registry.ModelVersion;
import dev.cairn.registry.RegistryStore;
import dev.cairn.store.Database;
import dev.cairn.tracking.TrackingStore;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Re-executes a recorded run from its provenance and says whether it obtains the same artifacts:
 * checks out the recorded commit with the recorded diff applied (a git worktree in a scratch
 * directory, removed afterwards), restores the exact dataset versions and upstream outputs the run
 * read, re-runs its entry point with the same parameters and seeds (a pipeline step alone with the
 * cache off; a process's command line in the checkout, with the dataset versions it logged restored
 * and named in {@code CAIRN_INPUT_<NAME>}), within a timeout, and compares.
 */
public final class Reproducer {
    private final Database db;
    private final BlobStore blobs;
    private final BuiltinSteps builtins;
    private final TrackingStore tracking;
    private final ArtifactRepository artifacts;
    private final DatasetVersions datasets;

    private Reproducer(Database db, BlobStore blobs, BuiltinSteps builtins) {
        this.db = db;
        this.blobs = blobs;
        this.builtins = builtins;
        this.tracking = TrackingStore.on(db);
        this.artifacts = ArtifactRepository.over(db, blobs);
        this.datasets = new DatasetVersions(db, blobs);
    }

    /** A reproducer over a store; pipeline steps that use built-ins find them in {@code builtins}. */
    public static Reproducer over(Database db, BlobStore blobs, BuiltinSteps builtins) {
        return new Reproducer(db, blobs, builtins);
    }

    /**
     * Reproduces {@code target}: a run id, or {@code models:/NAME/VERSION} (or {@code
     * models:/NAME@ALIAS}) for the run that produced a registered model version. A pipeline run is
     * reproduced step by step.
     */
    public Reproduction reproduce(String target, ReproduceOptions options) {
        String runId = runOf(target);
        RecordedRun run = RecordedRun.load(runId, tracking, artifacts);
        String kind = run.provenance().entryPoint().kind();
        return switch (kind) {
            case EntryPoint.STEP -> reproduceStep(target, run, options);
            case EntryPoint.PIPELINE -> reproducePipeline(target, run, options);
            default -> reproduceProcess(target, run, options);
        };
    }

    private String runOf(String target) {
        CairnException.requireArgument(!target.isBlank(), "reproduce needs a run id or models:/NAME/VERSION");
        if (!target.startsWith("models:/")) {
            return target;
        }
        String rest = target.substring("models:/".length());
        int at = rest.indexOf('@');
        int slash = rest.lastIndexOf('/');
        RegistryStore registry = RegistryStore.on(db, tracking);
        ModelVersion version;
        if (at > 0 && slash < 0) {
            version = registry.getModelVersionByAlias(rest.substring(0, at), rest.substring(at + 1));
        } else if (slash > 0 && at < 0) {
            version = registry.getModelVersion(rest.substring(0, slash), rest.substring(slash + 1));
        } else {
            throw CairnException.invalid(
                    "'" + target + "' must be a run id, models:/NAME/VERSION or models:/NAME@ALIAS");
        }
        CairnException.requireArgument(
                !version.runId().isEmpty(),
                "model version " + version.name() + "/" + version.version() + " names no run to reproduce");
        return version.runId();
    }

    private Reproduction reproduceStep(String target, RecordedRun run, ReproduceOptions options) {
        try (CodeCheckout code = CodeCheckout.create(run.id(), run.code(), run.diff(), options.scratch());
                PipelineEngine engine = engine(code)) {
            return outcome(target, run, StepReplay.replay(engine, datasets, run, code, options.timeout()), options);
        }
    }

    private Reproduction reproduceProcess(String target, RecordedRun run, ReproduceOptions options) {
        try (CodeCheckout code = CodeCheckout.create(run.id(), run.code(), run.diff(), options.scratch())) {
            // The dataset versions it logged, restored as a pipeline step's are: verified, named by a variable.
            Map<String, String> environment = new HashMap<>(options.environment());
            environment.putAll(LoggedDatasets.restore(datasets, run, code.scratch("datasets")));
            return outcome(
                    target, run, ProcessReplay.replay(tracking, run, code, environment, options.timeout()), options);
        }
    }

    private Reproduction outcome(String target, RecordedRun run, StepReplay.Outcome outcome, ReproduceOptions options) {
        if (outcome.failure().isPresent() || outcome.runId().isEmpty()) {
            return new Reproduction(
                    target,
                    run.id(),
                    outcome.runId().stream().toList(),
                    Reproduction.Verdict.DIFFERENT,
                    options.tolerance(),
                    List.of(),
                    List.of(),
                    List.of(new Reproduction.Cause(
                            outcome.failureKind(), outcome.failure().orElse("nothing ran"))));
        }
        return compare(target, run, RecordedRun.load(outcome.runId().get(), tracking, artifacts), options);
    }

    private Reproduction compare(String target, RecordedRun run, RecordedRun again, ReproduceOptions options) {
        List<Reproduction.Artifact> compared = RunComparison.artifacts(artifacts, run.root(), again.root());
        List<Reproduction.Metric> metrics = RunComparison.metrics(run.run(), again.run(), options.tolerance());
        Reproduction.Verdict verdict = RunComparison.verdict(compared, metrics);
        List<Reproduction.Cause> causes = new ArrayList<>();
        if (verdict != Reproduction.Verdict.IDENTICAL) {
            causes.addAll(RunComparison.causes(run.provenance(), again.provenance()));
            causes.addAll(LoggedDatasets.differences(run.run(), again.run()));
            if (causes.isEmpty()) {
                causes.add(new Reproduction.Cause(
                        "nondeterminism",
                        "code, data, parameters and environment are as recorded: the step itself is not deterministic"
                                + " (an unseeded random source, the clock, thread scheduling)"));
            }
        }
        return new Reproduction(
                target, run.id(), List.of(again.id()), verdict, options.tolerance(), compared, metrics, causes);
    }

    private Reproduction reproducePipeline(String target, RecordedRun run, ReproduceOptions options) {
        PipelineRunRecord execution;
        try (PipelineEngine engine =
                PipelineEngine.builder(db, tracking, blobs).parallelism(1).build()) {
            execution = engine.status(run.tag("cairn.pipeline.run_id").orElse(run.id()));
        }
        Reproduction.Verdict verdict = Reproduction.Verdict.IDENTICAL;
        List<String> reproduced = new ArrayList<>();
        List<Reproduction.Artifact> compared = new ArrayList<>();
        List<Reproduction.Metric> metrics = new ArrayList<>();
        List<Reproduction.Cause> causes = new ArrayList<>();
        for (StepRunRecord step : execution.steps()) {
            if (!step.status().produced() || step.trackingRunId().isEmpty()) {
                continue;
            }
            RecordedRun stepRun = RecordedRun.load(step.trackingRunId().get(), tracking, artifacts);
            Reproduction r = reproduceStep(target, stepRun, options);
            verdict = verdict.worst(r.verdict());
            reproduced.addAll(r.reproducedRunIds());
            String prefix = step.step() + ": ";
            r.artifacts()
                    .forEach(a -> compared.add(new Reproduction.Artifact(
                            step.step() + "/" + a.path(), a.comparedBy(), a.recorded(), a.reproduced())));
            r.metrics()
                    .forEach(m -> metrics.add(new Reproduction.Metric(
                            step.step() + "/" + m.key(), m.recorded(), m.reproduced(), m.withinTolerance())));
            r.causes().forEach(c -> causes.add(new Reproduction.Cause(c.kind(), prefix + c.detail())));
        }
        return new Reproduction(target, run.id(), reproduced, verdict, options.tolerance(), compared, metrics, causes);
    }

    /** An engine whose dataset checkouts and logs live in the scratch directory, so every checkout is verified afresh. */
    private PipelineEngine engine(CodeCheckout code) {
        Path scratch = code.scratch("engine");
        return PipelineEngine.builder(db, tracking, blobs)
                .builtins(builtins)
                .parallelism(1)
                .logRoot(scratch.resolve("logs"))
                .datasetCheckouts(scratch.resolve("datasets"))
                .build();
    }
}
