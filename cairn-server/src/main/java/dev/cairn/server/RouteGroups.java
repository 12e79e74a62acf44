package dev.cairn.server;

import dev.cairn.server.artifacts.ArtifactRoutes;
import dev.cairn.server.cards.ModelCardRoutes;
import dev.cairn.server.deployments.DeploymentRoutes;
import dev.cairn.server.inference.InferenceRoutes;
import dev.cairn.server.lineage.LineageRoutes;
import dev.cairn.server.monitoring.MonitorRoutes;
import dev.cairn.server.registry.RegistryApi;
import dev.cairn.server.tracking.TrackingApi;
import java.util.List;

/** The one list of route groups the server mounts: a feature adds its {@link ApiRoutes} here. */
final class RouteGroups {
    private RouteGroups() {}

    static List<ApiRoutes> all(Services services) {
        return List.of(
                new OpsRoutes(services),
                new TrackingApi(services),
                new ArtifactRoutes(services),
                new LineageRoutes(services),
                new RegistryApi(services),
                new DeploymentRoutes(services),
                new MonitorRoutes(services),
                new PipelineRoutes(services),
                new ModelCardRoutes(services),
                new InferenceRoutes(
                        services.inference(),
                        services.deployments().router(),
                        services.json().getFactory(),
                        services.config().maxJsonBodyBytes()));
    }
}
