package dev.cairn.deployments;

/** Where a deployment stands: all traffic on its stable version, a canary taking part of it, or just rolled back. */
public enum DeploymentStatus {
    STABLE,
    CANARY,
    ROLLED_BACK
}
