package dev.cairn.pipelines.schedule;

import dev.cairn.pipelines.Pipeline;
import dev.cairn.pipelines.execution.PipelineEngine;
import dev.cairn.pipelines.execution.PipelineRunRecord;
import dev.cairn.pipelines.execution.RunOptions;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts triggered executions off the caller's thread, one at a time per pipeline: an event for a
 * pipeline that is still running is dropped rather than queued, so a slow pipeline never piles up.
 */
final class Launcher {
    private static final Logger LOG = LoggerFactory.getLogger(Launcher.class);

    private final PipelineEngine engine;
    private final Executor executor;
    private final Set<String> running = ConcurrentHashMap.newKeySet();

    Launcher(PipelineEngine engine, Executor executor) {
        this.engine = engine;
        this.executor = executor;
    }

    Optional<CompletableFuture<PipelineRunRecord>> launch(Pipeline pipeline, TriggerEvent event) {
        if (!running.add(pipeline.name())) {
            LOG.info("pipeline {} is still running; {} does not start it again", pipeline.name(), event.describe());
            return Optional.empty();
        }
        RunOptions options = RunOptions.DEFAULTS.tags(Map.of("cairn.trigger", event.describe()));
        return Optional.of(CompletableFuture.supplyAsync(() -> engine.run(pipeline, options), executor)
                .whenComplete((record, error) -> {
                    running.remove(pipeline.name());
                    if (error != null) {
                        LOG.warn("pipeline {} triggered by {} could not run", pipeline.name(), event.describe(), error);
                    }
                }));
    }
}
