package dev.cairn.lineage;

import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;

/** A directed, typed edge from an upstream node to a downstream node, with its time and attributes. */
public record LineageEdge(
        String source, String target, EdgeType type, Instant createdAt, Map<String, String> attributes) {
    public LineageEdge {
        LineageUri.validate(source);
        LineageUri.validate(target);
        attributes = java.util.Collections.unmodifiableMap(new TreeMap<>(attributes));
    }

    public static LineageEdge of(String source, EdgeType type, String target) {
        return new LineageEdge(source, target, type, Instant.now(), Map.of());
    }

    public LineageEdge withAttributes(Map<String, String> newAttributes) {
        return new LineageEdge(source, target, type, createdAt, newAttributes);
    }
}
