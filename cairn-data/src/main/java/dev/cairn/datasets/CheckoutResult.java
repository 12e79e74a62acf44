package dev.cairn.datasets;

import java.nio.file.Path;

/** What a checkout restored: the version, the directory, and how many files and bytes (all verified). */
public record CheckoutResult(DatasetVersion version, Path directory, long files, long bytes) {}
