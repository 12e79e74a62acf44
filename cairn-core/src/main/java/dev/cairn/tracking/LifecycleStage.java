package dev.cairn.tracking;

/** Whether an experiment or run is live or soft-deleted (restorable). */
public enum LifecycleStage {
    ACTIVE,
    DELETED;

    /** The lower-case form MLflow puts on the wire. */
    public String wireName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
