package dev.cairn.artifacts;

/** A file in an artifact tree: where it is, the blob holding its content, and when it was stored (ms). */
public record ArtifactFile(ArtifactRoot root, ArtifactPath path, BlobRef blob, long createdAt) {}
