package dev.cairn.client;

/** Which lifecycle stages a listing includes, as MLflow's {@code ViewType}. */
public enum ViewType {
    ACTIVE_ONLY,
    DELETED_ONLY,
    ALL
}
