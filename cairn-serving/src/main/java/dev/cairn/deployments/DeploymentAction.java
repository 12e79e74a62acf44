package dev.cairn.deployments;

/** The kinds of change a deployment's history records. */
public enum DeploymentAction {
    CREATE,
    SET_TRAFFIC,
    PROMOTE,
    ROLLBACK,
    AUTO_PROMOTE,
    AUTO_ROLLBACK
}
