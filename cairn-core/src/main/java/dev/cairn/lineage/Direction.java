package dev.cairn.lineage;

import dev.cairn.core.CairnException;
import java.util.Locale;

/** Which way a lineage traversal walks from its starting node. */
public enum Direction {
    /** Towards causes: what a node was made from. */
    UP,
    /** Towards consequences: what was made from a node. */
    DOWN,
    BOTH;

    public static Direction parse(String value) {
        try {
            return valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw CairnException.invalid("direction must be up, down or both; got '" + value + "'");
        }
    }
}
