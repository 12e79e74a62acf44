package dev.cairn.pipelines.execution;

import dev.cairn.artifacts.BlobRef;
import dev.cairn.core.CairnException;
import dev.cairn.pipelines.OutputSpec;
import dev.cairn.pipelines.Step;
import dev.cairn.pipelines.builtin.BuiltinContext;
import dev.cairn.tracking.Metric;
import dev.cairn.tracking.NewRun;
import dev.cairn.tracking.RunStatus;
import dev.cairn.tracking.RunUpdate;
import dev.cairn.tracking.Tag;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One step of an execution, from its condition to its recorded end: prepare (inputs, key), take
 * it from the cache or run it with retries and a time limit, store its outputs, record it.
 */
final class StepExecution {
    private static final int METRIC_BATCH = 200;

    private final Execution ex;
    private final Step step;
    private final List<Metric> pendingMetrics = new ArrayList<>();
    private long startSeq;
    private long startTime;
    private Optional<String> trackingRunId = Optional.empty();
    private Optional<PreparedStep> prepared = Optional.empty();
    private Optional<CacheStatus> cacheStatus = Optional.empty();
    private Optional<Path> logDir = Optional.empty();
    private Optional<BlobRef> stdoutLog = Optional.empty();
    private Optional<BlobRef> stderrLog = Optional.empty();
    private int attempts;
    private Optional<Integer> exitCode = Optional.empty();
    private volatile Optional<String> metricError = Optional.empty();

    StepExecution(Execution ex, Step step) {
        this.ex = ex;
        this.step = step;
    }

    /**
     * Everything up to running: the condition, inputs and key, and the cache. Returns the step's
     * end state when it needs no run (skipped, served from the cache, or unpreparable), else empty.
     * Cheap enough to be done on the scheduling thread, which spares a cache hit two thread hops.
     */
    Optional<StepState> settleWithoutRunning() {
        startSeq = ex.sequence.incrementAndGet();
        startTime = System.currentTimeMillis();
        try {
            if (step.when().isPresent() && !step.when().get().evaluate(ex.params)) {
                return Optional.of(end(
                        StepStatus.SKIPPED,
                        Optional.of("condition '" + step.when().get() + "' is false"),
                        Map.of()));
            }
            prepared = Optional.of(PreparedStep.prepare(
                    ex.pipeline,
                    step,
                    ex.params,
                    ex.produced,
                    ex::resolveInput,
                    ex.fingerprints,
                    ex.parts.builtins()::require));
            return !ex.options.noCache() && !ex.options.force() ? fromCache() : Optional.empty();
        } catch (CairnException | UncheckedIOException e) {
            return Optional.of(end(StepStatus.FAILED, Optional.of(e.getMessage()), Map.of()));
        }
    }

    /** Runs a step that {@link #settleWithoutRunning()} left to run, with retries, and records its end. */
    StepState runPrepared() {
        try {
            RunProvenance.Recorded provenance = recordProvenance();
            // One transaction (one commit) for the run, its params and the step's RUNNING state.
            ex.parts.store().together(() -> {
                trackingRunId = Optional.of(startTrackingRun(provenance));
                ex.parts.store().saveStep(ex.runId, state(StepStatus.RUNNING, Optional.empty(), Map.of()));
            });
            cacheStatus = Optional.of(
                    ex.options.noCache()
                            ? CacheStatus.DISABLED
                            : ex.options.force() ? CacheStatus.FORCED : CacheStatus.MISS);
            return runWithRetries();
        } catch (CairnException | UncheckedIOException e) {
            return end(StepStatus.FAILED, Optional.of(e.getMessage()), Map.of());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return end(StepStatus.CANCELLED, Optional.of("interrupted"), Map.of());
        }
    }

    private Optional<StepState> fromCache() {
        PreparedStep p = prepared.orElseThrow();
        Optional<RunStore.CacheEntry> entry =
                ex.parts.store().findCacheEntry(p.key().key());
        if (entry.isEmpty() || !entry.get().outputs().values().stream().allMatch(ex.parts.outputs()::available)) {
            return Optional.empty();
        }
        for (OutputSpec spec : step.outputs().values()) {
            StoredOutput stored = entry.get().outputs().get(spec.name());
            if (stored == null) {
                return Optional.empty();
            }
            ex.parts.outputs().restore(stored, p.outputs().get(spec.name()));
        }
        cacheStatus = Optional.of(CacheStatus.HIT);
        return Optional.of(end(
                StepStatus.CACHED,
                Optional.of("outputs restored from pipeline run " + entry.get().sourcePipelineRunId()),
                entry.get().outputs()));
    }

    private StepState runWithRetries() throws InterruptedException {
        PreparedStep p = prepared.orElseThrow();
        Path dir = ex.parts.logRoot().resolve(ex.runId).resolve(step.name());
        logDir = Optional.of(dir);
        String failure = "";
        for (attempts = 1; attempts <= step.retries() + 1; attempts++) {
            if (ex.cancelled.get()) {
                return end(StepStatus.CANCELLED, Optional.of("the pipeline run was cancelled"), Map.of());
            }
            clearOutputs(p);
            Optional<String> error = attempt(p, dir);
            if (ex.cancelled.get()) {
                return end(StepStatus.CANCELLED, Optional.of("the pipeline run was cancelled"), Map.of());
            }
            if (error.isEmpty()) {
                Map<String, StoredOutput> outputs = storeOutputs(p);
                if (!ex.options.noCache()) {
                    ex.parts
                            .store()
                            .putCacheEntry(
                                    p.key().key(),
                                    ex.pipeline.name(),
                                    step.name(),
                                    p.key().componentsJson(),
                                    outputs,
                                    ex.runId,
                                    trackingRunId.orElse(null));
                }
                return end(StepStatus.SUCCEEDED, Optional.empty(), outputs);
            }
            failure = error.get();
        }
        attempts--;
        return end(
                StepStatus.FAILED,
                Optional.of(failure + (attempts > 1 ? " (after " + attempts + " attempts)" : "")),
                Map.of());
    }

    /** One attempt; empty when it succeeded and every declared output exists, else why not. */
    private Optional<String> attempt(PreparedStep p, Path dir) throws InterruptedException {
        Path stdout = dir.resolve("stdout.log");
        Path stderr = dir.resolve("stderr.log");
        try {
            Files.createDirectories(dir);
            for (Path out : p.outputs().values()) {
                Files.createDirectories(out.getParent());
            }
            Optional<String> error =
                    p.builtin().isPresent() ? runBuiltin(p, stdout, stderr) : runCommand(p, stdout, stderr);
            flushMetrics();
            if (error.isPresent()) {
                return error;
            }
            for (var spec : p.outputSpecs().entrySet()) {
                boolean ok = spec.getKey().kind() == OutputSpec.Kind.FILE
                        ? Files.isRegularFile(spec.getValue())
                        : Files.isDirectory(spec.getValue());
                if (!ok) {
                    return Optional.of("declared output '" + spec.getKey().name() + "' ("
                            + spec.getKey().path() + ") was not written");
                }
            }
            return Optional.empty();
        } catch (IOException e) {
            return Optional.of("cannot run: " + e.getMessage());
        } finally {
            keepLogs(stdout, stderr);
        }
    }

    private Optional<String> runCommand(PreparedStep p, Path stdout, Path stderr)
            throws IOException, InterruptedException {
        Map<String, String> env = p.cairnEnvironment(ex.parts.trackingUri(), trackingRunId.orElseThrow(), ex.runId);
        StepProcess process = StepProcess.start(p.argv(), p.workDir(), env, stdout, stderr, this::onStdoutLine);
        ex.processes.add(process);
        try {
            if (ex.cancelled.get()) {
                process.kill();
            }
            StepProcess.Outcome outcome = process.await(step.timeout());
            exitCode = Optional.of(outcome.exitCode());
            if (outcome.timedOut()) {
                return Optional.of(
                        "timed out after " + describe(step.timeout().orElseThrow()) + "; its process tree was killed");
            }
            if (outcome.exitCode() != 0) {
                return Optional.of("exit code " + outcome.exitCode() + lastLine(stderr));
            }
            return Optional.empty();
        } finally {
            ex.processes.remove(process);
        }
    }

    private Optional<String> runBuiltin(PreparedStep p, Path stdout, Path stderr)
            throws IOException, InterruptedException {
        AtomicReference<Throwable> failure = new AtomicReference<>();
        try (PrintStream log = new PrintStream(Files.newOutputStream(stdout), true, StandardCharsets.UTF_8)) {
            Files.writeString(stderr, "");
            BuiltinContext context = new BuiltinContext(
                    step.name(),
                    p.with(),
                    ex.params,
                    p.inputs(),
                    p.outputs(),
                    p.workDir(),
                    trackingRunId.orElseThrow(),
                    ex.parts.tracking(),
                    log,
                    ex.parts.builtins().services());
            Thread worker = new Thread(
                    () -> {
                        try {
                            p.builtin().orElseThrow().run(context);
                        } catch (Throwable t) {
                            failure.set(t);
                        }
                    },
                    "builtin-" + step.name());
            worker.start();
            worker.join(step.timeout().map(Duration::toMillis).orElse(0L));
            if (worker.isAlive()) {
                worker.interrupt();
                worker.join(5_000);
                return Optional.of("timed out after " + describe(step.timeout().orElseThrow()));
            }
        }
        Throwable t = failure.get();
        if (t != null) {
            Files.writeString(stderr, String.valueOf(t));
            exitCode = Optional.of(1);
            return Optional.of(t.getClass().getSimpleName() + ": " + t.getMessage());
        }
        exitCode = Optional.of(0);
        return Optional.empty();
    }

    private void onStdoutLine(String line) {
        MetricLines.parse(line, System.currentTimeMillis()).ifPresent(metric -> {
            synchronized (pendingMetrics) {
                pendingMetrics.add(metric);
                if (pendingMetrics.size() >= METRIC_BATCH) {
                    flushMetrics();
                }
            }
        });
    }

    private void flushMetrics() {
        synchronized (pendingMetrics) {
            if (pendingMetrics.isEmpty()) {
                return;
            }
            try {
                ex.parts
                        .tracking()
                        .logBatch(trackingRunId.orElseThrow(), List.copyOf(pendingMetrics), List.of(), List.of());
            } catch (CairnException e) {
                // A malformed metric must not stop the step's output from being read; the run says what was lost.
                metricError = metricError.or(() -> Optional.of(e.getMessage()));
            }
            pendingMetrics.clear();
        }
    }

    /** A stale output from an earlier run must not pass for this run's result. */
    private static void clearOutputs(PreparedStep p) {
        for (Path out : p.outputs().values()) {
            try {
                OutputStore.deleteTree(out);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot remove the previous output " + out, e);
            }
        }
    }

    private Map<String, StoredOutput> storeOutputs(PreparedStep p) {
        Map<String, StoredOutput> stored = new LinkedHashMap<>();
        p.outputSpecs()
                .forEach((spec, path) ->
                        stored.put(spec.name(), ex.parts.outputs().store(spec, path)));
        return stored;
    }

    private void keepLogs(Path stdout, Path stderr) {
        stdoutLog = keepLog(stdout);
        stderrLog = keepLog(stderr);
    }

    /** An empty log is not stored: there is nothing to show, and each stored blob costs a sync to disk. */
    private Optional<BlobRef> keepLog(Path log) {
        try {
            return Files.isRegularFile(log) && Files.size(log) > 0
                    ? Optional.of(ex.parts.blobs().put(log))
                    : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** Stores the step's provenance record (git ran once for the execution) before its run is created. */
    private RunProvenance.Recorded recordProvenance() {
        return ex.provenance().forStep(prepared.orElseThrow(), ex.pipeline.projectDir(), ex.produced, ex.parts.blobs());
    }

    private String startTrackingRun(RunProvenance.Recorded provenance) {
        List<Tag> tags = new ArrayList<>(List.of(
                new Tag("mlflow.parentRunId", ex.runId),
                new Tag("cairn.pipeline.run_id", ex.runId),
                new Tag("cairn.pipeline.name", ex.pipeline.name()),
                new Tag("cairn.pipeline.step", step.name()),
                new Tag("cairn.cache.key", prepared.orElseThrow().key().key())));
        tags.addAll(provenance.tags());
        String id = ex.parts
                .tracking()
                .createRun(
                        new NewRun(ex.experimentId, PipelineEngine.user(), startTime, Optional.of(step.name()), tags))
                .info()
                .runId();
        StepArtifacts.record(ex.parts.artifacts(), ex.experimentId, id, provenance.links());
        List<dev.cairn.tracking.Param> params =
                Execution.paramsOf(prepared.orElseThrow().params());
        if (!params.isEmpty()) {
            ex.parts.tracking().logBatch(id, List.of(), params, List.of());
        }
        return id;
    }

    private StepState end(StepStatus status, Optional<String> message, Map<String, StoredOutput> outputs) {
        long endSeq = ex.sequence.incrementAndGet();
        long endTime = System.currentTimeMillis();
        boolean newRun = trackingRunId.isEmpty() && status == StepStatus.CACHED;
        List<StepArtifacts.Link> links = trackingRunId.isPresent() || newRun
                ? StepArtifacts.links(ex.parts.outputs(), outputs, stdoutLog, stderrLog)
                : List.of();
        Optional<String> runBefore = trackingRunId;
        AtomicReference<StepState> saved = new AtomicReference<>();
        try {
            Optional<RunProvenance.Recorded> provenance = newRun ? Optional.of(recordProvenance()) : Optional.empty();
            ex.parts.store().together(() -> {
                if (newRun) {
                    // A cache hit is tracked in the same single transaction that records it.
                    trackingRunId = Optional.of(startTrackingRun(provenance.orElseThrow()));
                }
                trackingRunId.ifPresent(id -> {
                    StepArtifacts.record(ex.parts.artifacts(), ex.experimentId, id, links);
                    endTrackingRun(id, status);
                });
                saved.set(ended(status, message, outputs, endSeq, endTime));
                ex.parts.store().saveStep(ex.runId, saved.get());
            });
        } catch (CairnException e) {
            // The step's own record must survive a tracking failure: it is what a resume reads.
            trackingRunId = runBefore;
            saved.set(ended(status, message, outputs, endSeq, endTime));
            ex.parts.store().saveStep(ex.runId, saved.get());
        }
        return saved.get();
    }

    private StepState ended(
            StepStatus status, Optional<String> message, Map<String, StoredOutput> outputs, long endSeq, long endTime) {
        StepState state = state(status, message, outputs);
        StepRunRecord r = state.record();
        return new StepState(
                new StepRunRecord(
                        r.step(),
                        r.status(),
                        r.cacheStatus(),
                        r.cacheKey(),
                        r.trackingRunId(),
                        r.attempts(),
                        r.exitCode(),
                        r.message(),
                        r.outputs(),
                        r.startSeq(),
                        OptionalLong.of(endSeq),
                        r.startTime(),
                        OptionalLong.of(endTime)),
                state.storedOutputs(),
                state.keyComponents(),
                state.logDir(),
                state.stdoutSha256(),
                state.stderrSha256());
    }

    private void endTrackingRun(String id, StepStatus status) {
        List<Tag> tags = new ArrayList<>();
        cacheStatus.ifPresent(c -> tags.add(new Tag("cairn.cache.status", c.name())));
        stdoutLog.ifPresent(s -> tags.add(new Tag("cairn.log.stdout.sha256", s.sha256())));
        stderrLog.ifPresent(s -> tags.add(new Tag("cairn.log.stderr.sha256", s.sha256())));
        metricError.ifPresent(
                m -> tags.add(new Tag("cairn.metrics.error", m.length() > 1000 ? m.substring(0, 1000) : m)));
        if (!tags.isEmpty()) {
            ex.parts.tracking().logBatch(id, List.of(), List.of(), tags);
        }
        RunStatus runStatus =
                switch (status) {
                    case SUCCEEDED, CACHED, SKIPPED -> RunStatus.FINISHED;
                    case CANCELLED -> RunStatus.KILLED;
                    default -> RunStatus.FAILED;
                };
        ex.parts
                .tracking()
                .updateRun(
                        id,
                        new RunUpdate(
                                Optional.of(runStatus), OptionalLong.of(System.currentTimeMillis()), Optional.empty()));
    }

    private StepState state(StepStatus status, Optional<String> message, Map<String, StoredOutput> outputs) {
        Map<String, String> hashes = new LinkedHashMap<>();
        outputs.forEach((k, v) -> hashes.put(k, v.sha256()));
        StepRunRecord record = new StepRunRecord(
                step.name(),
                status,
                cacheStatus,
                prepared.map(p -> p.key().key()),
                trackingRunId,
                attempts,
                exitCode,
                message,
                hashes,
                OptionalLong.of(startSeq),
                OptionalLong.empty(),
                OptionalLong.of(startTime),
                OptionalLong.empty());
        return new StepState(
                record,
                outputs,
                prepared.map(p -> p.key().componentsJson()),
                logDir.map(Path::toString),
                stdoutLog.map(BlobRef::sha256),
                stderrLog.map(BlobRef::sha256));
    }

    private static String lastLine(Path stderr) {
        try {
            List<String> lines = Files.readAllLines(stderr, StandardCharsets.UTF_8);
            for (int i = lines.size() - 1; i >= 0; i--) {
                if (!lines.get(i).isBlank()) {
                    String line = lines.get(i).strip();
                    return ": " + (line.length() > 300 ? line.substring(0, 300) + "..." : line);
                }
            }
        } catch (IOException | UncheckedIOException e) {
            // The log is a courtesy in the message; the exit code says what matters.
        }
        return "";
    }

    static String describe(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + "s" : d.toMillis() + "ms";
    }
}
