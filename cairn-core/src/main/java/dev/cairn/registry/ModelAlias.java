package dev.cairn.registry;

/** An alias of a registered model, such as {@code champion}, and the version it points to. */
public record ModelAlias(String alias, int version) {}
