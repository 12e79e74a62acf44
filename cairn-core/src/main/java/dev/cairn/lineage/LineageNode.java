package dev.cairn.lineage;

/** A node reached by a traversal: its URI, its kind and the fewest edges from the starting node. */
public record LineageNode(String uri, LineageUri.Kind kind, int depth) {}
