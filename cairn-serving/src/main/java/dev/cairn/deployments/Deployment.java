package dev.cairn.deployments;

import java.time.Instant;

/** A named endpoint routing its traffic across model versions, as stored. */
public record Deployment(
        String name,
        Routing routing,
        DeploymentStatus status,
        Instant createdAt,
        String createdBy,
        Instant updatedAt,
        String updatedBy) {}
