package dev.cairn.tracking;

/** Which lifecycle stages a search includes, as MLflow's {@code ViewType}. */
public enum ViewType {
    ACTIVE_ONLY,
    DELETED_ONLY,
    ALL
}
