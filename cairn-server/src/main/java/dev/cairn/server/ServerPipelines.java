package dev.cairn.server;

import dev.cairn.artifacts.ArtifactRepository;
import dev.cairn.deployments.Deployments;
import dev.cairn.lineage.LineageStore;
import dev.cairn.monitoring.alerts.StartPipeline;
import dev.cairn.pipelines.Pipeline;
import dev.cairn.pipelines.builtin.BuiltinSteps;
import dev.cairn.pipelines.builtin.StepServices;
import dev.cairn.pipelines.execution.PipelineEngine;
import dev.cairn.pipelines.schedule.PipelineScheduler;
import dev.cairn.pipelines.schedule.PipelineTriggers;
import dev.cairn.pipelines.schedule.VersionWatch;
import dev.cairn.store.Database;
import dev.cairn.tracking.TrackingStore;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The pipelines a server runs by itself: every {@code $CAIRN_HOME/pipelines/<project>/cairn.yaml}
 * (read at start), started on their cron schedule, on new dataset and model versions, and by
 * monitor alerts, with the built-in steps wired to the server's stores and deployments.
 */
final class ServerPipelines implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ServerPipelines.class);

    private final PipelineEngine engine;
    private final ExecutorService launches;
    private final PipelineTriggers triggers;
    private final PipelineScheduler scheduler;
    private final VersionWatch watch;
    private final StartPipeline retraining;
    private final List<Pipeline> loaded;

    private ServerPipelines(
            PipelineEngine engine,
            ExecutorService launches,
            PipelineTriggers triggers,
            PipelineScheduler scheduler,
            VersionWatch watch,
            StartPipeline retraining,
            List<Pipeline> loaded) {
        this.engine = engine;
        this.launches = launches;
        this.triggers = triggers;
        this.scheduler = scheduler;
        this.watch = watch;
        this.retraining = retraining;
        this.loaded = List.copyOf(loaded);
    }

    /** Builds the engine over the server's stores, loads the pipelines of {@code home/pipelines} and starts watching. */
    static ServerPipelines start(
            Path home,
            Database database,
            TrackingStore tracking,
            ArtifactRepository artifacts,
            Deployments deployments,
            Duration tick) {
        BuiltinSteps builtins = BuiltinSteps.discovered()
                .provide(StepServices.none()
                        .with(Database.class, database)
                        .with(ArtifactRepository.class, artifacts)
                        .with(Deployments.class, deployments));
        PipelineEngine engine = PipelineEngine.builder(database, tracking, artifacts.blobs())
                .builtins(builtins)
                .logRoot(home.resolve("pipeline-logs"))
                .datasetCheckouts(home.resolve("dataset-checkouts"))
                .build();
        AtomicInteger count = new AtomicInteger();
        ExecutorService launches = Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "pipeline-launch-" + count.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        PipelineTriggers triggers = new PipelineTriggers(engine, launches);
        PipelineScheduler scheduler = new PipelineScheduler(engine, launches, Clock.systemUTC());
        List<Pipeline> loaded = load(home.resolve("pipelines"));
        for (Pipeline p : loaded) {
            triggers.register(p);
            if (p.schedule().isPresent()) {
                scheduler.register(p);
            }
        }
        scheduler.start(tick);
        VersionWatch watch = new VersionWatch(database, triggers);
        watch.start(tick);
        StartPipeline retraining = new StartPipeline(triggers, LineageStore.of(database));
        return new ServerPipelines(engine, launches, triggers, scheduler, watch, retraining, loaded);
    }

    /**
     * The pipeline of every project directory {@code dir/<project>/} holding a {@code cairn.yaml}
     * (its inputs, schema and gate files beside it); a spec that does not parse is logged and left out.
     */
    private static List<Pipeline> load(Path dir) {
        List<Pipeline> pipelines = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return pipelines;
        }
        List<Path> projects = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir, Files::isDirectory)) {
            entries.forEach(projects::add);
        } catch (IOException e) {
            LOG.error("cannot list pipeline projects in {}: {}", dir, e.getMessage());
        }
        projects.sort(null);
        for (Path project : projects) {
            Path spec = project.resolve("cairn.yaml");
            if (!Files.isRegularFile(spec)) {
                continue;
            }
            try {
                Pipeline p = Pipeline.load(spec);
                pipelines.add(p);
                LOG.info("pipeline {} loaded from {}", p.name(), spec);
            } catch (RuntimeException e) {
                LOG.error("pipeline spec {} is not loaded: {}", spec, e.getMessage());
            }
        }
        return pipelines;
    }

    /** The alert action that starts the pipelines whose {@code triggers.alerts} name the monitor. */
    StartPipeline retraining() {
        return retraining;
    }

    PipelineEngine engine() {
        return engine;
    }

    PipelineTriggers triggers() {
        return triggers;
    }

    List<Pipeline> loaded() {
        return loaded;
    }

    @Override
    public void close() {
        watch.close();
        scheduler.close();
        launches.shutdownNow();
        engine.close();
    }
}
