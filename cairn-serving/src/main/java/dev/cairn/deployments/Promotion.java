package dev.cairn.deployments;

/**
 * A canary promoted automatically after passing its policy: the deployment as it now stands, the
 * promoted split, who promoted it and the judge's verdict in words.
 */
public record Promotion(Deployment deployment, TrafficSplit promoted, String actor, String verdict) {}
