package dev.cairn.tracking;

/** A key-value tag on an experiment or a run; tags may be overwritten, unlike parameters. */
public record Tag(String key, String value) {}
