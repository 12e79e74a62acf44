package dev.cairn.pipelines.execution;

import dev.cairn.artifacts.BlobStore;
import dev.cairn.pipelines.Pipeline;
import dev.cairn.store.Database;
import dev.cairn.store.TestDatabases;
import dev.cairn.tracking.TrackingStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A real engine for tests: a SQLite database, a tracking store and a blob store in a temporary folder. */
final class Fixture implements AutoCloseable {
    final Path project;
    final Database db;
    final TrackingStore tracking;
    final BlobStore blobs;
    final PipelineEngine engine;

    Fixture(Path root) {
        this(root, TestDatabases.sqlite(mkdirs(root.resolve("store"))));
    }

    Fixture(Path root, Database db) {
        this.project = mkdirs(root.resolve("project"));
        this.db = db;
        this.tracking = TrackingStore.on(db);
        this.blobs = BlobStore.local(root.resolve("blobs"));
        this.engine = PipelineEngine.builder(db, tracking, blobs)
                .logRoot(root.resolve("logs"))
                .datasetCheckouts(root.resolve("datasets"))
                .parallelism(2)
                .build();
    }

    Pipeline pipeline(String yaml) {
        return Pipeline.parse(yaml, project, "cairn.yaml");
    }

    Path write(String relative, String content) {
        Path file = project.resolve(relative);
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file;
    }

    String read(String relative) {
        try {
            return Files.readString(project.resolve(relative));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** How many lines a step appended to a counter file: how often it really ran. */
    int count(String relative) {
        Path file = project.resolve(relative);
        try {
            return Files.exists(file) ? Files.readAllLines(file).size() : 0;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path mkdirs(Path dir) {
        try {
            return Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        engine.close();
        db.close();
    }
}
