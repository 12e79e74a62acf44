package dev.cairn.registry;

import dev.cairn.core.CairnException;
import java.util.Locale;

/** A model version's legacy stage, as MLflow names it: {@code None}, {@code Staging}, {@code Production}, {@code Archived}. */
public enum Stage {
    NONE("None"),
    STAGING("Staging"),
    PRODUCTION("Production"),
    ARCHIVED("Archived");

    private final String wireName;

    Stage(String wireName) {
        this.wireName = wireName;
    }

    /** The name on the wire and in SQL, e.g. {@code Production}. */
    public String wireName() {
        return wireName;
    }

    /** Whether versions in this stage can be archived by a transition into it ({@code archive_existing_versions}). */
    public boolean active() {
        return this == STAGING || this == PRODUCTION;
    }

    /** Parses a stage name case-insensitively, as MLflow does. */
    public static Stage parse(String name) {
        if (name != null) {
            for (Stage stage : values()) {
                if (stage.wireName.toLowerCase(Locale.ROOT).equals(name.strip().toLowerCase(Locale.ROOT))) {
                    return stage;
                }
            }
        }
        throw CairnException.invalid(
                "Invalid Model Version stage: " + name + ". Value must be one of None, Staging, Production, Archived.");
    }
}
