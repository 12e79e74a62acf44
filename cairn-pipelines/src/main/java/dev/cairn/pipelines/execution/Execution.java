package dev.cairn.pipelines.execution;

import dev.cairn.core.CairnException;
import dev.cairn.pipelines.OutputRef;
import dev.cairn.pipelines.ParamType;
import dev.cairn.pipelines.Pipeline;
import dev.cairn.pipelines.Step;
import dev.cairn.pipelines.StepAction;
import dev.cairn.tracking.Param;
import dev.cairn.tracking.RunStatus;
import dev.cairn.tracking.RunUpdate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CompletionService;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * One pipeline execution in progress: starts each step once the steps it depends on have
 * finished, up to the engine's parallelism, and records every transition so that a killed
 * execution can be resumed.
 */
final class Execution {
    private static final long CANCEL_POLL_MILLIS = 200;

    final EngineParts parts;
    final Pipeline pipeline;
    final Map<String, Object> params;
    final RunOptions options;
    final String runId;
    final String experimentId;
    final Fingerprints fingerprints;
    final AtomicLong sequence;
    final AtomicBoolean cancelled = new AtomicBoolean();
    final Set<StepProcess> processes = ConcurrentHashMap.newKeySet();
    final Map<String, Map<String, StoredOutput>> produced = new ConcurrentHashMap<>();
    private final Map<String, ResolvedInput> resolvedInputs = new ConcurrentHashMap<>();
    private final Map<String, StepState> states = new ConcurrentHashMap<>();
    private RunProvenance provenance;

    Execution(
            EngineParts parts,
            Pipeline pipeline,
            Map<String, Object> params,
            RunOptions options,
            String runId,
            String experimentId,
            List<StepState> initial) {
        this.parts = parts;
        this.pipeline = pipeline;
        this.params = params;
        this.options = options;
        this.runId = runId;
        this.experimentId = experimentId;
        this.fingerprints = new Fingerprints(pipeline.projectDir());
        initial.forEach(s -> states.put(s.step(), s));
        long lastSeq = initial.stream()
                .flatMap(s -> Stream.of(s.record().startSeq(), s.record().endSeq()))
                .filter(OptionalLong::isPresent)
                .mapToLong(OptionalLong::getAsLong)
                .max()
                .orElse(0);
        this.sequence = new AtomicLong(lastSeq);
    }

    /** Checks what must hold before any step starts: built-ins exist and every plain input is there. */
    void checkPlan() {
        List<String> problems = new ArrayList<>();
        for (Step step : pipeline.steps().values()) {
            if (step.action() instanceof StepAction.Uses u
                    && parts.builtins().find(u.builtin()).isEmpty()) {
                problems.add("step '" + step.name() + "' uses unknown built-in step '" + u.builtin() + "'");
            }
            if (states.get(step.name()).status().produced()) {
                continue;
            }
            step.inputs().forEach((name, ref) -> {
                if (OutputRef.parse(ref).isEmpty()) {
                    try {
                        resolveInput(ref);
                    } catch (CairnException e) {
                        problems.add("step '" + step.name() + "' input '" + name + "': " + e.getMessage());
                    }
                }
            });
        }
        if (!problems.isEmpty()) {
            throw CairnException.invalid(
                    "pipeline '" + pipeline.name() + "' cannot start:\n  " + String.join("\n  ", problems));
        }
    }

    /** Uses provenance already captured for this execution's pipeline run. */
    Execution withProvenance(RunProvenance captured) {
        this.provenance = captured;
        return this;
    }

    /** The code version and diff of this execution, captured once (on first use when resuming). */
    synchronized RunProvenance provenance() {
        if (provenance == null) {
            provenance = RunProvenance.capture(pipeline, params, parts.blobs());
        }
        return provenance;
    }

    /** Takes over the inputs another execution of the same plan resolved, so that none is hashed twice. */
    Execution adoptInputs(Execution other) {
        resolvedInputs.putAll(other.resolvedInputs);
        return this;
    }

    ResolvedInput resolveInput(String reference) {
        ResolvedInput known = resolvedInputs.get(reference);
        if (known != null) {
            return known;
        }
        ResolvedInput resolved = parts.resolve(reference, pipeline.projectDir());
        resolvedInputs.put(reference, resolved);
        return resolved;
    }

    /** Runs every step that has not produced its outputs yet; returns once all are finished. */
    void run() throws InterruptedException {
        states.values().stream()
                .filter(s -> s.status().produced())
                .forEach(s -> produced.put(s.step(), s.storedOutputs()));
        CompletionService<StepState> completion = new ExecutorCompletionService<>(parts.workers());
        Map<String, Future<StepState>> running = new ConcurrentHashMap<>();
        while (true) {
            while (startReadySteps(completion, running)) {
                // Marking a step as not runnable can settle its dependents: go round until nothing changes.
            }
            if (running.isEmpty()) {
                break;
            }
            Future<StepState> done = completion.poll(CANCEL_POLL_MILLIS, TimeUnit.MILLISECONDS);
            if (done != null) {
                StepState state = result(done);
                running.remove(state.step());
                settle(state);
            } else if (!cancelled.get() && parts.store().cancelRequested(runId)) {
                cancel();
            }
        }
        finish();
    }

    private boolean startReadySteps(CompletionService<StepState> completion, Map<String, Future<StepState>> running) {
        boolean settled = false;
        for (Step step : pipeline.steps().values()) {
            StepState state = states.get(step.name());
            if (state.status() != StepStatus.PENDING && state.status() != StepStatus.RUNNING
                    || running.containsKey(step.name())) {
                continue;
            }
            Optional<String> blocked = blockedBy(step);
            if (blocked.isPresent()) {
                continue;
            }
            Optional<StepState> notRun = notRunnable(step);
            if (notRun.isPresent()) {
                states.put(step.name(), notRun.get());
                parts.store().saveStep(runId, notRun.get());
                parts.listener().stepFinished(runId, notRun.get().record());
                settled = true;
                continue;
            }
            StepExecution execution = new StepExecution(this, step);
            Optional<StepState> done = execution.settleWithoutRunning();
            if (done.isPresent()) {
                settle(done.get());
                settled = true;
                continue;
            }
            running.put(step.name(), completion.submit(execution::runPrepared));
        }
        return settled;
    }

    private void settle(StepState state) {
        states.put(state.step(), state);
        parts.listener().stepFinished(runId, state.record());
        if (state.status().produced()) {
            produced.put(state.step(), state.storedOutputs());
        }
    }

    /** An upstream step that has not finished yet. */
    private Optional<String> blockedBy(Step step) {
        return step.upstream().stream()
                .filter(u -> !states.get(u).status().isTerminal())
                .findFirst();
    }

    /** The terminal state of a step that must not run: cancelled, upstream failed, or an input never produced. */
    private Optional<StepState> notRunnable(Step step) {
        if (cancelled.get()) {
            return Optional.of(ended(step.name(), StepStatus.CANCELLED, "the pipeline run was cancelled"));
        }
        for (String upstream : step.upstream()) {
            StepStatus status = states.get(upstream).status();
            if (status == StepStatus.FAILED || status == StepStatus.CANCELLED) {
                return Optional.of(ended(
                        step.name(),
                        StepStatus.CANCELLED,
                        "upstream step '" + upstream + "' " + status.name().toLowerCase(Locale.ROOT)));
            }
        }
        for (var input : step.inputs().entrySet()) {
            Optional<OutputRef> ref = OutputRef.parse(input.getValue());
            if (ref.isPresent() && states.get(ref.get().step()).status() == StepStatus.SKIPPED) {
                return Optional.of(ended(
                        step.name(),
                        StepStatus.SKIPPED,
                        "input '" + input.getKey() + "' comes from skipped step '"
                                + ref.get().step() + "'"));
            }
        }
        return Optional.empty();
    }

    private StepState ended(String step, StepStatus status, String message) {
        StepState old = states.get(step);
        StepRunRecord r = old.record();
        return new StepState(
                new StepRunRecord(
                        step,
                        status,
                        r.cacheStatus(),
                        r.cacheKey(),
                        r.trackingRunId(),
                        r.attempts(),
                        r.exitCode(),
                        Optional.of(message),
                        Map.of(),
                        r.startSeq(),
                        r.endSeq(),
                        r.startTime(),
                        r.endTime()),
                Map.of(),
                old.keyComponents(),
                old.logDir(),
                old.stdoutSha256(),
                old.stderrSha256());
    }

    private StepState result(Future<StepState> done) throws InterruptedException {
        try {
            return done.get();
        } catch (ExecutionException e) {
            // StepExecution records its own failures; reaching here is a defect, surfaced as such.
            throw new IllegalStateException("step execution failed unexpectedly", e.getCause());
        }
    }

    void cancel() {
        cancelled.set(true);
        processes.forEach(StepProcess::kill);
    }

    private void finish() {
        Optional<StepState> failed = pipeline.steps().keySet().stream()
                .map(states::get)
                .filter(s -> s.status() == StepStatus.FAILED)
                .findFirst();
        PipelineStatus status;
        Optional<String> message;
        if (failed.isPresent()) {
            status = PipelineStatus.FAILED;
            message = Optional.of("step '" + failed.get().step() + "' failed: "
                    + failed.get().record().message().orElse("unknown error"));
        } else if (cancelled.get()) {
            status = PipelineStatus.CANCELLED;
            message = Optional.of("cancelled");
        } else {
            status = PipelineStatus.SUCCEEDED;
            message = Optional.empty();
        }
        long now = System.currentTimeMillis();
        parts.store().together(() -> {
            parts.tracking()
                    .updateRun(
                            runId,
                            new RunUpdate(Optional.of(trackingStatus(status)), OptionalLong.of(now), Optional.empty()));
            parts.store().finishRun(runId, status, message, failed.map(StepState::step), now);
        });
    }

    static RunStatus trackingStatus(PipelineStatus status) {
        return switch (status) {
            case RUNNING -> RunStatus.RUNNING;
            case SUCCEEDED -> RunStatus.FINISHED;
            case FAILED -> RunStatus.FAILED;
            case CANCELLED -> RunStatus.KILLED;
        };
    }

    static List<Param> paramsOf(Map<String, Object> values) {
        return values.entrySet().stream()
                .map(e -> new Param(e.getKey(), ParamType.format(e.getValue())))
                .toList();
    }
}
