package dev.cairn.pipelines.schedule;

import dev.cairn.pipelines.Pipeline;
import dev.cairn.pipelines.Triggers;
import dev.cairn.pipelines.execution.PipelineEngine;
import dev.cairn.pipelines.execution.PipelineRunRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;

/**
 * The hook other parts of Cairn call when something happens (a dataset version, a monitor alert, a
 * model version): every registered pipeline that lists the dataset, monitor or model in its {@code
 * triggers} is started, tagged {@code cairn.trigger} with the event.
 */
public final class PipelineTriggers {
    private final Launcher launcher;
    private final Map<String, Pipeline> pipelines = new ConcurrentHashMap<>();

    public PipelineTriggers(PipelineEngine engine, Executor executor) {
        this.launcher = new Launcher(engine, executor);
    }

    /** Registers (or replaces, by name) a pipeline whose triggers are to be honoured. */
    public void register(Pipeline pipeline) {
        pipelines.put(pipeline.name(), pipeline);
    }

    public void unregister(String pipelineName) {
        pipelines.remove(pipelineName);
    }

    /** Starts the pipelines {@code event} concerns; returns their executions, already under way. */
    public List<CompletableFuture<PipelineRunRecord>> fire(TriggerEvent event) {
        List<CompletableFuture<PipelineRunRecord>> started = new ArrayList<>();
        for (Pipeline pipeline : pipelines.values()) {
            if (concerns(pipeline.triggers(), event)) {
                launcher.launch(pipeline, event).ifPresent(started::add);
            }
        }
        return started;
    }

    private static boolean concerns(Triggers triggers, TriggerEvent event) {
        if (event instanceof TriggerEvent.DatasetVersion d) {
            return triggers.datasets().contains(d.dataset());
        }
        if (event instanceof TriggerEvent.MonitorAlert a) {
            return triggers.alerts().contains(a.monitor());
        }
        if (event instanceof TriggerEvent.ModelVersion m) {
            return triggers.models().contains(m.model());
        }
        return false;
    }
}
