package dev.cairn.serving;

import dev.cairn.models.Signature;
import java.nio.file.Path;
import java.time.Instant;

/** A model version the engine serves: where it came from, what it takes and gives, and since when. */
public record ModelInfo(
        String name,
        String version,
        String flavor,
        Signature signature,
        String contentHash,
        Path directory,
        Instant loadedAt) {}
