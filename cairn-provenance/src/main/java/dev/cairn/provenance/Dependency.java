package dev.cairn.provenance;

/** A jar on the classpath, identified by its file name, SHA-256 and size. */
public record Dependency(String fileName, String sha256, long size) {}
