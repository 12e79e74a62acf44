package dev.cairn.datasets;

import dev.cairn.lineage.LineageUri;
import java.time.Instant;
import java.util.List;

/**
 * A published dataset version: its number within the dataset, its id (the SHA-256 of its manifest
 * blob), where its table summaries are stored, and what was recorded about it.
 */
public record DatasetVersion(
        String name,
        int number,
        String id,
        String summarySha256,
        String message,
        String sourcePath,
        long fileCount,
        long totalBytes,
        Instant createdAt,
        List<String> aliases) {
    /** How many hex digits of the id are shown. */
    public static final int SHORT_ID_LENGTH = 12;

    public DatasetVersion {
        aliases = List.copyOf(aliases);
    }

    public String shortId() {
        return id.substring(0, SHORT_ID_LENGTH);
    }

    /** The lineage URI of this version, {@code cairn-dataset:/<name>/<number>}. */
    public String uri() {
        return LineageUri.dataset(name, number);
    }

    /** {@code name:number}, the reference the CLI accepts. */
    public String ref() {
        return name + ":" + number;
    }
}
