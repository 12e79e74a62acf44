package dev.cairn.monitoring;

import dev.cairn.artifacts.BlobStore;
import java.nio.file.Path;

/**
 * Where monitors read {@code cairn-dataset:/NAME/VERSION[/FILE]} references from: the blob store
 * holding the dataset versions' content, and the directory their verified checkouts are cached in
 * (one checkout per version, shared by every monitor that names it).
 */
public record ReferenceDatasets(BlobStore blobs, Path cache) {
    public ReferenceDatasets {
        cache = cache.toAbsolutePath().normalize();
    }

    /** The datasets of a Cairn home, cached in {@code <home>/cache/dataset-references}. */
    public static ReferenceDatasets inHome(BlobStore blobs, Path home) {
        return new ReferenceDatasets(blobs, home.resolve("cache").resolve("dataset-references"));
    }
}
