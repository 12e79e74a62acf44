package dev.cairn.tracking;

/** A run parameter: written once, a later write with a different value is an error. */
public record Param(String key, String value) {}
