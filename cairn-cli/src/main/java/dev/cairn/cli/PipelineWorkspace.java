package dev.cairn.cli;

import dev.cairn.artifacts.BlobStore;
import dev.cairn.pipelines.execution.PipelineEngine;
import dev.cairn.pipelines.execution.StepListener;
import dev.cairn.server.ServerConfig;
import dev.cairn.store.Database;
import dev.cairn.store.StoreUrl;
import dev.cairn.tracking.TrackingStore;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * Where {@code cairn pipeline} keeps its state (the same store and artifact directory as {@code
 * cairn server}), and the engine opened over it.
 */
final class PipelineWorkspace {
    @Option(
            names = "--home",
            paramLabel = "DIR",
            description = "Cairn home holding the default store and artifacts (default: $CAIRN_HOME, else ~/.cairn).")
    Path home;

    @Option(
            names = "--store",
            paramLabel = "URL",
            description = "Metadata store: sqlite:///path/cairn.db or postgresql://host/db (default: under the home).")
    String store;

    @Option(
            names = "--artifacts",
            paramLabel = "DIR",
            description = "Artifact directory (default: artifacts/ under the home).")
    Path artifacts;

    /** An open engine with the database it owns. */
    record Opened(Database db, PipelineEngine engine) implements AutoCloseable {
        @Override
        public void close() {
            engine.close();
            db.close();
        }
    }

    Opened open(StepListener listener) {
        ServerConfig.Builder config = ServerConfig.builder();
        Path base = home == null ? ServerConfig.cairnHome() : home.toAbsolutePath();
        config.home(base);
        if (store != null) {
            config.storeUrl(store);
        }
        if (artifacts != null) {
            config.artifactsRoot(artifacts.toAbsolutePath());
        }
        ServerConfig built = config.build();
        Database db = Database.open(StoreUrl.parse(built.storeUrl()));
        try {
            PipelineEngine engine = PipelineEngine.builder(
                            db, TrackingStore.on(db), BlobStore.local(built.artifactsRoot()))
                    .logRoot(base.resolve("pipelines").resolve("logs"))
                    .datasetCheckouts(base.resolve("pipelines").resolve("datasets"))
                    .listener(listener)
                    .build();
            return new Opened(db, engine);
        } catch (RuntimeException e) {
            db.close();
            throw e;
        }
    }
}
