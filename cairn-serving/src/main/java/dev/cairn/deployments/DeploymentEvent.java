package dev.cairn.deployments;

import java.time.Instant;

/** One row of a deployment's append-only history: what changed, who did it, when, why, and the routing after it. */
public record DeploymentEvent(
        long id,
        String deployment,
        DeploymentAction action,
        String actor,
        Instant at,
        String reason,
        Routing routing) {}
