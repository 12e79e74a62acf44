package dev.cairn.lineage;

import dev.cairn.core.CairnException;
import java.util.Locale;

/**
 * The kind of a lineage edge. Edges always point downstream, from what existed first to what was
 * made from it, so that "up" means towards causes and "down" towards consequences.
 */
public enum EdgeType {
    /** A dataset version or artifact was read by a run: {@code cairn-dataset:/flights/3 -> runs:/r1}. */
    CONSUMED,
    /** A run (or deployment) made an artifact or answer: {@code runs:/r1 -> runs:/r1/artifacts/model}. */
    PRODUCED,
    /** An artifact or run became a model version: {@code runs:/r1/artifacts/model -> models:/m/1}. */
    REGISTERED_AS,
    /** A model version serves behind a deployment: {@code models:/m/1 -> deployments:/d}. */
    DEPLOYED_AS,
    /** A monitor, schedule or upstream run started a run: {@code monitors:/m -> runs:/r2}. */
    TRIGGERED_BY;

    /** The lower-case name stored in SQL and shown in JSON. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static EdgeType fromWireName(String name) {
        for (EdgeType type : values()) {
            if (type.wireName().equals(name)) {
                return type;
            }
        }
        throw CairnException.invalid("edge_type must be one of consumed, produced, registered_as, deployed_as,"
                + " triggered_by; got '" + name + "'");
    }
}
