package dev.cairn.client;

/**
 * One entry of a run's artifact listing.
 *
 * @param path relative to the run's artifact root
 * @param fileSize in bytes, 0 for directories
 */
public record ArtifactFile(String path, boolean isDir, long fileSize) {}
