package dev.cairn.server;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cairn.artifacts.ArtifactRepository;
import dev.cairn.artifacts.BlobStore;
import dev.cairn.deployments.ChampionAlias;
import dev.cairn.deployments.Deployments;
import dev.cairn.deployments.ModelSource;
import dev.cairn.monitoring.Monitors;
import dev.cairn.monitoring.ReferenceDatasets;
import dev.cairn.registry.RegistryStore;
import dev.cairn.serving.InferenceEngine;
import dev.cairn.serving.InferenceLog;
import dev.cairn.serving.ServingConfig;
import dev.cairn.store.Database;
import dev.cairn.store.StoreUrl;
import dev.cairn.tracking.TrackingStore;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.slf4j.LoggerFactory;

/**
 * The long-lived parts of a server, opened once at start and closed once at stop: the database,
 * the stores over it, the JSON mapper and the metrics registry. Route groups take what they need
 * from here; nothing in a request path builds infrastructure of its own.
 */
public final class Services implements AutoCloseable {
    private final ServerConfig config;
    private final ObjectMapper json;
    private final JsonRequests requests;
    private final PrometheusMeterRegistry metrics;
    private final Database database;
    private final TrackingStore tracking;
    private final ArtifactRepository artifacts;
    private final InferenceEngine inference;
    private final Deployments deployments;
    private final Monitors monitors;
    private final ServerPipelines pipelines;
    /** Closed in reverse order of opening. */
    private final Deque<AutoCloseable> closeables;

    private Services(Builder b) {
        this.config = b.config;
        this.json = b.json;
        this.requests = new JsonRequests(b.json, b.config.maxJsonBodyBytes());
        this.metrics = b.metrics;
        this.database = b.database;
        this.tracking = b.tracking;
        this.artifacts = b.artifacts;
        this.inference = b.inference;
        this.deployments = b.deployments;
        this.monitors = b.monitors;
        this.pipelines = b.pipelines;
        this.closeables = b.closeables;
    }

    /**
     * Opens (and migrates) the store named by {@code config} and everything built on it. The store
     * opens on a thread of its own (SQLite's native library, the schema of a new store) while this
     * thread builds what does not need it, which shortens start-up on a machine with spare cores.
     */
    static Services open(ServerConfig config) {
        StoreUrl url = StoreUrl.parse(config.storeUrl());
        CompletableFuture<Database> opening = CompletableFuture.supplyAsync(() -> Database.open(url), runnable -> {
            Thread opener = new Thread(runnable, "cairn-store-open");
            opener.setDaemon(true);
            opener.start();
        });
        try {
            return open(config, opening);
        } catch (RuntimeException | Error e) {
            opening.thenAccept(Database::close); // now, or once it has opened
            throw e;
        }
    }

    /** Builds the services over an open {@code database}, which they own and close from now on. */
    static Services open(ServerConfig config, Database database) {
        return open(config, CompletableFuture.completedFuture(database));
    }

    /** On failure the database (once open) is left to the caller. */
    private static Services open(ServerConfig config, CompletableFuture<Database> opening) {
        Builder b = new Builder(config);
        try {
            b.json = JsonMapping.newMapper();
            b.metrics = newMetrics(b);
            b.database = opened(opening);
            b.closeables.addLast(b.database); // closed after everything built on it
            b.tracking = TrackingStore.on(b.database);
            b.artifacts = ArtifactRepository.over(b.database, BlobStore.local(config.artifactsRoot()));
            b.inference = newInference(b);
            b.deployments = Deployments.open(b.database, b.inference, deployedModels(b), Duration.ofSeconds(10));
            b.closeables.push(b.deployments);
            b.deployments.onAutoPromote(new ChampionAlias(RegistryStore.on(b.database, b.tracking)));
            b.pipelines = ServerPipelines.start(
                    home(config), b.database, b.tracking, b.artifacts, b.deployments, Duration.ofSeconds(2));
            b.closeables.push(b.pipelines);
            b.monitors = Monitors.fromEnvironment(
                    b.database,
                    List.of(b.pipelines.retraining()),
                    referenceRoots(config),
                    ReferenceDatasets.inHome(b.artifacts.blobs(), home(config)));
            b.closeables.push(b.monitors);
            return new Services(b);
        } catch (RuntimeException e) {
            if (b.database != null) {
                b.closeables.removeLast(); // the database: the caller still owns it
            }
            closeAll(b.closeables);
            throw e;
        }
    }

    /** The opened database, or the exception that opening it threw. */
    private static Database opened(CompletableFuture<Database> opening) {
        try {
            return opening.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException failure) {
                throw failure;
            }
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            throw e;
        }
    }

    /** The model server: its inference log writes to the database, and closes before it. */
    private static InferenceEngine newInference(Builder b) {
        ServingConfig serving = b.config.serving();
        InferenceLog log = InferenceLog.open(b.database, serving);
        b.closeables.push(log);
        InferenceEngine engine = new InferenceEngine(serving, log);
        b.closeables.push(engine);
        return engine;
    }

    /** Deployments load registered versions downloaded next to the artifact store, and package directories. */
    private static ModelSource deployedModels(Builder b) {
        return ModelSource.registry(
                RegistryStore.on(b.database, b.tracking),
                b.artifacts,
                b.config.artifactsRoot().resolveSibling("deployed-models"));
    }

    /**
     * Where monitor reference tables may be read from: {@code references/} beside the artifacts
     * directory, plus the directories in {@code CAIRN_MONITOR_REFERENCE_DIRS} (path-separated).
     */
    private static List<Path> referenceRoots(ServerConfig config) {
        List<Path> roots = new ArrayList<>();
        Path home = config.artifactsRoot().toAbsolutePath().getParent();
        roots.add((home != null ? home : config.artifactsRoot()).resolve("references"));
        String extra = System.getenv("CAIRN_MONITOR_REFERENCE_DIRS");
        if (extra != null) {
            for (String dir : extra.split(java.io.File.pathSeparator)) {
                if (!dir.isBlank()) {
                    roots.add(Path.of(dir.strip()));
                }
            }
        }
        try {
            Files.createDirectories(roots.get(0));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the reference directory " + roots.get(0), e);
        }
        return roots;
    }

    /** The Cairn home: the directory that holds the artifacts directory. */
    private static Path home(ServerConfig config) {
        Path home = config.artifactsRoot().toAbsolutePath().getParent();
        return home != null ? home : config.artifactsRoot().toAbsolutePath();
    }

    private static PrometheusMeterRegistry newMetrics(Builder b) {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        b.closeables.push(registry::close);
        new ClassLoaderMetrics().bindTo(registry);
        new JvmMemoryMetrics().bindTo(registry);
        JvmGcMetrics gc = new JvmGcMetrics();
        gc.bindTo(registry);
        b.closeables.push(gc);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        return registry;
    }

    public ServerConfig config() {
        return config;
    }

    /** The server's one JSON mapper (proto field names are set per request record). */
    public ObjectMapper json() {
        return json;
    }

    /** Decodes request bodies and query strings into request records, with 4xx errors naming the field. */
    public JsonRequests requests() {
        return requests;
    }

    public PrometheusMeterRegistry metrics() {
        return metrics;
    }

    public Database database() {
        return database;
    }

    public TrackingStore tracking() {
        return tracking;
    }

    /** Run artifact trees over the content-addressed blob store under {@code artifactsRoot}. */
    public ArtifactRepository artifacts() {
        return artifacts;
    }

    /** The models this server serves over {@code /v2} and {@code /invocations}. */
    public InferenceEngine inference() {
        return inference;
    }

    /** The deployments routing traffic across model versions, with their history and canary judge. */
    public Deployments deployments() {
        return deployments;
    }

    /** Drift and performance monitors over deployments, their alerts and ground-truth feedback. */
    public Monitors monitors() {
        return monitors;
    }

    /**
     * The server's own pipelines: the specs of {@code $CAIRN_HOME/pipelines/<project>/cairn.yaml}, their schedules
     * and triggers, and the retraining action of monitors.
     */
    ServerPipelines pipelines() {
        return pipelines;
    }

    @Override
    public void close() {
        closeAll(closeables);
    }

    private static void closeAll(Deque<AutoCloseable> closeables) {
        while (!closeables.isEmpty()) {
            AutoCloseable c = closeables.pop();
            try {
                c.close();
            } catch (Exception e) {
                // not a static logger: loading this class must not set logging up, see open(config)
                LoggerFactory.getLogger(Services.class)
                        .warn("closing {} failed", c.getClass().getSimpleName(), e);
            }
        }
    }

    /** Collects what {@link #open} has opened so far, so that a failure can close it. */
    private static final class Builder {
        private final ServerConfig config;
        private final Deque<AutoCloseable> closeables = new ArrayDeque<>();
        private ObjectMapper json;
        private PrometheusMeterRegistry metrics;
        private Database database;
        private TrackingStore tracking;
        private ArtifactRepository artifacts;
        private InferenceEngine inference;
        private Deployments deployments;
        private Monitors monitors;
        private ServerPipelines pipelines;

        private Builder(ServerConfig config) {
            this.config = config;
        }
    }
}
