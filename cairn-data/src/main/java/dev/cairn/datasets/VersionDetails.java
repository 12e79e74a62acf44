package dev.cairn.datasets;

/** A version with its manifest and the summaries of its tabular files. */
public record VersionDetails(DatasetVersion version, Manifest manifest, TableSummaries tables) {}
