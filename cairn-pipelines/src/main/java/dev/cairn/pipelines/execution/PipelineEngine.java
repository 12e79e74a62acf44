package dev.cairn.pipelines.execution;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.cairn.artifacts.ArtifactRepository;
import dev.cairn.artifacts.BlobStore;
import dev.cairn.core.CairnException;
import dev.cairn.core.ErrorCode;
import dev.cairn.datasets.DatasetVersions;
import dev.cairn.pipelines.Pipeline;
import dev.cairn.pipelines.builtin.BuiltinSteps;
import dev.cairn.store.Database;
import dev.cairn.tracking.NewRun;
import dev.cairn.tracking.RunStatus;
import dev.cairn.tracking.RunUpdate;
import dev.cairn.tracking.Tag;
import dev.cairn.tracking.TrackingStore;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Executes pipelines: plans the DAG, runs independent steps in parallel, takes unchanged steps
 * from the content-addressed step cache, tracks the execution as a run with one nested run per
 * step, and records its state so that it can be inspected, cancelled and resumed.
 */
public final class PipelineEngine implements AutoCloseable {
    private final EngineParts parts;
    private final Map<String, Execution> live = new ConcurrentHashMap<>();

    private PipelineEngine(EngineParts parts) {
        this.parts = parts;
    }

    public static Builder builder(Database db, TrackingStore tracking, BlobStore blobs) {
        return new Builder(db, tracking, blobs);
    }

    /** Runs a pipeline to its end and returns the recorded execution; step failures are in the record, not thrown. */
    public PipelineRunRecord run(Pipeline pipeline, RunOptions options) {
        Map<String, Object> params = pipeline.resolveParams(options.params());
        String experimentId = experimentFor(pipeline.name());
        List<StepState> initial =
                pipeline.steps().keySet().stream().map(StepState::pending).toList();
        Execution probe = new Execution(parts, pipeline, params, options, "", experimentId, initial);
        probe.checkPlan();
        // Git and blob writes happen here, not on the database's writer thread.
        RunProvenance provenance = RunProvenance.capture(pipeline, params, parts.blobs());
        RunProvenance.Recorded recorded = provenance.forPipeline(parts.blobs());
        // The tracked run and the execution's record are created in one transaction.
        String runId = parts.store().together(() -> {
            String id = startTrackingRun(pipeline, params, options, experimentId, recorded);
            PipelineRunRecord record = new PipelineRunRecord(
                    id,
                    pipeline.name(),
                    id,
                    PipelineStatus.RUNNING,
                    Optional.empty(),
                    Optional.empty(),
                    params,
                    parts.owner(),
                    System.currentTimeMillis(),
                    OptionalLong.empty(),
                    initial.stream().map(StepState::record).toList());
            parts.store()
                    .insertRun(new StoredRun(
                            record,
                            pipeline.projectDir(),
                            pipeline.toCanonicalJson(),
                            RunStore.toJson(options),
                            false));
            return id;
        });
        return execute(new Execution(parts, pipeline, params, options, runId, experimentId, initial)
                .adoptInputs(probe)
                .withProvenance(provenance));
    }

    /**
     * Continues a failed, cancelled or killed execution: steps that succeeded (or came from the
     * cache) are kept with their outputs; the others run again, with the same spec and parameters.
     */
    public PipelineRunRecord resume(String pipelineRunId) {
        StoredRun stored = find(pipelineRunId);
        PipelineRunRecord record = stored.record();
        if (record.status() == PipelineStatus.SUCCEEDED) {
            throw new CairnException(
                    ErrorCode.INVALID_STATE, "pipeline run " + pipelineRunId + " succeeded; nothing to resume");
        }
        if (record.status() == PipelineStatus.RUNNING && ownerAlive(record.owner())) {
            throw new CairnException(
                    ErrorCode.INVALID_STATE,
                    "pipeline run " + pipelineRunId + " is still running (process " + record.owner()
                            + "); cancel it first");
        }
        Pipeline pipeline = Pipeline.parse(stored.specJson(), stored.projectDir(), "pipeline run " + pipelineRunId);
        RunOptions options = RunStore.fromJson(stored.optionsJson(), new TypeReference<>() {});
        Map<String, Object> params = pipeline.resolveParams(options.params());
        List<StepState> initial = new ArrayList<>();
        for (String step : pipeline.steps().keySet()) {
            StepState state = parts.store().findStep(pipelineRunId, step).orElse(StepState.pending(step));
            initial.add(state.status().produced() ? state : StepState.pending(step));
        }
        Execution execution = new Execution(
                parts,
                pipeline,
                params,
                options,
                pipelineRunId,
                parts.tracking().getRun(record.trackingRunId()).info().experimentId(),
                initial);
        execution.checkPlan();
        restoreKeptOutputs(pipeline, initial);
        for (StepState state : initial) {
            if (!state.status().produced()) {
                parts.store().saveStep(pipelineRunId, state);
            }
        }
        parts.store().reopen(pipelineRunId, parts.owner());
        parts.tracking()
                .updateRun(
                        record.trackingRunId(),
                        new RunUpdate(Optional.of(RunStatus.RUNNING), OptionalLong.empty(), Optional.empty()));
        return execute(execution);
    }

    /** For each step: would the next execution take it from the cache, and why (or why not). */
    public List<StepExplanation> explain(Pipeline pipeline, Map<String, String> paramOverrides) {
        return new Explainer(parts, pipeline, pipeline.resolveParams(paramOverrides)).explain();
    }

    /** The recorded state of an execution. */
    public PipelineRunRecord status(String pipelineRunId) {
        return find(pipelineRunId).record();
    }

    /** The most recent executions, newest first, of one pipeline or of all. */
    public List<PipelineRunRecord> recent(Optional<String> pipelineName, int limit) {
        return parts.store().recentRuns(pipelineName, limit);
    }

    /** Whether the process that owns a RUNNING execution is gone (the execution was killed and can be resumed). */
    public boolean interrupted(PipelineRunRecord record) {
        return record.status() == PipelineStatus.RUNNING && !ownerAlive(record.owner());
    }

    /**
     * Cancels an execution: running step processes are killed and nothing new starts. An execution
     * whose process is gone is marked cancelled at once.
     */
    public PipelineRunRecord cancel(String pipelineRunId) {
        PipelineRunRecord record = status(pipelineRunId);
        if (record.status().isTerminal()) {
            return record;
        }
        parts.store().requestCancel(pipelineRunId);
        Execution local = live.get(pipelineRunId);
        if (local != null) {
            local.cancel();
        } else if (!ownerAlive(record.owner())) {
            markAbandonedCancelled(record);
        }
        return status(pipelineRunId);
    }

    /** The spec an execution ran, as recorded when it started. */
    public Pipeline pipelineOf(String pipelineRunId) {
        StoredRun stored = find(pipelineRunId);
        return Pipeline.parse(stored.specJson(), stored.projectDir(), "pipeline run " + pipelineRunId);
    }

    /** A step's stdout or stderr from its last attempt, read from the blob store. */
    public String log(String pipelineRunId, String step, boolean stderr) {
        find(pipelineRunId).record().step(step);
        StepState state = parts.store().findStep(pipelineRunId, step).orElseThrow();
        Optional<String> sha = stderr ? state.stderrSha256() : state.stdoutSha256();
        if (sha.isEmpty()) {
            return "";
        }
        try (InputStream in = parts.blobs().open(sha.get())) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Restores a step output recorded by its content hash into {@code target}: a file, or with
     * {@code directory} the files of a stored directory manifest. Every file's digest is verified.
     */
    public void restoreOutput(String sha256, boolean directory, Path target) {
        parts.outputs().restore(new StoredOutput(directory ? "dir" : "file", sha256), target);
    }

    @Override
    public void close() {
        live.values().forEach(Execution::cancel);
        parts.workers().shutdownNow();
    }

    private PipelineRunRecord execute(Execution execution) {
        live.put(execution.runId, execution);
        try {
            execution.run();
        } catch (InterruptedException e) {
            execution.cancel();
            Thread.currentThread().interrupt();
            throw new CairnException(
                    ErrorCode.INTERNAL_ERROR, "interrupted while running pipeline run " + execution.runId, e);
        } finally {
            live.remove(execution.runId);
        }
        return status(execution.runId);
    }

    private void restoreKeptOutputs(Pipeline pipeline, List<StepState> states) {
        for (StepState state : states) {
            if (state.status().produced()) {
                state.storedOutputs().forEach((name, stored) -> parts.outputs()
                        .restore(
                                stored,
                                pipeline.projectDir()
                                        .resolve(pipeline.step(state.step())
                                                .outputs()
                                                .get(name)
                                                .path())));
            }
        }
    }

    private void markAbandonedCancelled(PipelineRunRecord record) {
        for (StepRunRecord step : record.steps()) {
            if (!step.status().isTerminal()) {
                StepState state =
                        parts.store().findStep(record.id(), step.step()).orElseThrow();
                StepRunRecord r = state.record();
                parts.store()
                        .saveStep(
                                record.id(),
                                new StepState(
                                        new StepRunRecord(
                                                r.step(),
                                                StepStatus.CANCELLED,
                                                r.cacheStatus(),
                                                r.cacheKey(),
                                                r.trackingRunId(),
                                                r.attempts(),
                                                r.exitCode(),
                                                Optional.of("the pipeline run was cancelled"),
                                                r.outputs(),
                                                r.startSeq(),
                                                r.endSeq(),
                                                r.startTime(),
                                                r.endTime()),
                                        state.storedOutputs(),
                                        state.keyComponents(),
                                        state.logDir(),
                                        state.stdoutSha256(),
                                        state.stderrSha256()));
            }
        }
        long now = System.currentTimeMillis();
        parts.tracking()
                .updateRun(
                        record.trackingRunId(),
                        new RunUpdate(Optional.of(RunStatus.KILLED), OptionalLong.of(now), Optional.empty()));
        parts.store()
                .finishRun(
                        record.id(),
                        PipelineStatus.CANCELLED,
                        Optional.of("cancelled after its process " + record.owner() + " was gone"),
                        Optional.empty(),
                        now);
    }

    private StoredRun find(String pipelineRunId) {
        return parts.store()
                .findRun(pipelineRunId)
                .orElseThrow(() -> CairnException.notFound("pipeline run '" + pipelineRunId + "' does not exist"));
    }

    private String experimentFor(String pipelineName) {
        Optional<String> found =
                parts.tracking().findExperimentByName(pipelineName).map(e -> e.experimentId());
        if (found.isPresent()) {
            return found.get();
        }
        try {
            return parts.tracking().createExperiment(pipelineName, Optional.empty(), List.of());
        } catch (CairnException e) {
            // Another execution created it meanwhile.
            return parts.tracking()
                    .findExperimentByName(pipelineName)
                    .orElseThrow(() -> e)
                    .experimentId();
        }
    }

    private String startTrackingRun(
            Pipeline pipeline,
            Map<String, Object> params,
            RunOptions options,
            String experimentId,
            RunProvenance.Recorded provenance) {
        List<Tag> tags = new ArrayList<>(List.of(
                new Tag("cairn.pipeline.name", pipeline.name()),
                new Tag("cairn.pipeline.project_dir", pipeline.projectDir().toString())));
        tags.addAll(provenance.tags());
        options.tags().forEach((k, v) -> tags.add(new Tag(k, v)));
        String runId = parts.tracking()
                .createRun(new NewRun(
                        experimentId, user(), System.currentTimeMillis(), Optional.of(pipeline.name()), tags))
                .info()
                .runId();
        StepArtifacts.record(parts.artifacts(), experimentId, runId, provenance.links());
        List<dev.cairn.tracking.Param> logged = Execution.paramsOf(params);
        if (!logged.isEmpty()) {
            parts.tracking().logBatch(runId, List.of(), logged, List.of(new Tag("cairn.pipeline.run_id", runId)));
        }
        return runId;
    }

    static String user() {
        return System.getProperty("user.name", "cairn");
    }

    private static boolean ownerAlive(String owner) {
        int at = owner.indexOf('@');
        if (at < 0 || !owner.substring(at + 1).equals(host())) {
            return true; // another machine: assume alive, it is not ours to judge
        }
        try {
            long pid = Long.parseLong(owner.substring(0, at));
            return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
        } catch (NumberFormatException e) {
            return true;
        }
    }

    /** This machine's name, read the same way by every process (a shell may or may not export $HOSTNAME). */
    static String host() {
        for (String file : new String[] {"/proc/sys/kernel/hostname", "/etc/hostname"}) {
            try {
                String name = Files.readString(Path.of(file)).strip();
                if (!name.isEmpty()) {
                    return name;
                }
            } catch (IOException e) {
                // Not Linux, or no such file: try the next source.
            }
        }
        String env = System.getenv("HOSTNAME");
        return env == null || env.isBlank() ? "localhost" : env;
    }

    /** Configures an engine; every option has a default. */
    public static final class Builder {
        private final Database db;
        private final TrackingStore tracking;
        private final BlobStore blobs;
        private BuiltinSteps builtins = BuiltinSteps.empty();
        private final List<InputResolver> resolvers = new ArrayList<>();
        private Path logRoot = Path.of(System.getProperty("java.io.tmpdir"), "cairn-pipeline-logs");
        private String trackingUri = "";
        private int parallelism = Runtime.getRuntime().availableProcessors();
        private StepListener listener = StepListener.NONE;
        private Path datasetCheckouts = Path.of(System.getProperty("java.io.tmpdir"), "cairn-dataset-checkouts");

        private Builder(Database db, TrackingStore tracking, BlobStore blobs) {
            this.db = db;
            this.tracking = tracking;
            this.blobs = blobs;
        }

        /** Built-in steps available to {@code uses:}; none by default. */
        public Builder builtins(BuiltinSteps value) {
            this.builtins = value;
            return this;
        }

        /** A resolver asked before the file resolver, e.g. for dataset versions. */
        public Builder inputResolver(InputResolver resolver) {
            resolvers.add(resolver);
            return this;
        }

        /** Where step logs are written while steps run (they are kept in the blob store too); a temp folder by default. */
        public Builder logRoot(Path dir) {
            this.logRoot = dir;
            return this;
        }

        /** The value of {@code CAIRN_TRACKING_URI} for steps; the store URL by default. */
        public Builder trackingUri(String uri) {
            this.trackingUri = uri;
            return this;
        }

        /** How many steps run at once; the number of cores by default. */
        public Builder parallelism(int steps) {
            CairnException.requireArgument(steps >= 1, "parallelism must be >= 1, got " + steps);
            this.parallelism = steps;
            return this;
        }

        /**
         * Where {@code dataset:<name>[:<version>]} inputs are checked out, one directory per
         * version id; a temp folder by default.
         */
        public Builder datasetCheckouts(Path dir) {
            this.datasetCheckouts = dir;
            return this;
        }

        /** Told of every step as it ends; nothing by default. */
        public Builder listener(StepListener value) {
            this.listener = value;
            return this;
        }

        private static List<InputResolver> withDatasets(List<InputResolver> resolvers, InputResolver datasets) {
            List<InputResolver> all = new ArrayList<>(resolvers);
            all.add(datasets);
            return List.copyOf(all);
        }

        public PipelineEngine build() {
            AtomicInteger count = new AtomicInteger();
            ExecutorService workers = Executors.newFixedThreadPool(parallelism, r -> {
                Thread t = new Thread(r, "pipeline-step-" + count.incrementAndGet());
                t.setDaemon(true);
                return t;
            });
            String uri = trackingUri.isEmpty() ? db.url().jdbcUrl().replaceFirst("^jdbc:", "") : trackingUri;
            String owner = ProcessHandle.current().pid() + "@" + host();
            return new PipelineEngine(new EngineParts(
                    new RunStore(db),
                    tracking,
                    blobs,
                    ArtifactRepository.over(db, blobs),
                    new OutputStore(blobs),
                    builtins,
                    withDatasets(resolvers, new DatasetInputResolver(new DatasetVersions(db, blobs), datasetCheckouts)),
                    logRoot,
                    uri,
                    workers,
                    owner,
                    listener));
        }
    }
}
