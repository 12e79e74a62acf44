package dev.cairn.artifacts;

/** A stored blob: the lower-case hex SHA-256 of its content and its size in bytes. */
public record BlobRef(String sha256, long size) {}
