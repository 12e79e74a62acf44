package dev.cairn.pipelines.execution;

import java.nio.file.Path;

/**
 * A resolved step input.
 *
 * @param path where the step reads it
 * @param contentHash the SHA-256 of the file, or of the directory manifest; part of the cache key
 */
public record ResolvedInput(Path path, String contentHash) {}
