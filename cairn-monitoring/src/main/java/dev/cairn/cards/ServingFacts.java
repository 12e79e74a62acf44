package dev.cairn.cards;

import dev.cairn.deployments.Deployment;
import dev.cairn.deployments.TrafficSplit;
import dev.cairn.monitoring.MonitorSpec;
import dev.cairn.monitoring.Monitors;
import dev.cairn.registry.ModelVersion;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * Where a model version serves now and what its monitors saw: the splits and shadows of current
 * deployments whose model is {@code models:/<name>/<version>} or {@code models:/<name>@<alias>} with
 * an alias now on the version, and the monitors of those deployments with their latest windows.
 */
final class ServingFacts {
    private final Supplier<List<Deployment>> deployments;
    private final Monitors monitors;

    ServingFacts(Supplier<List<Deployment>> deployments, Monitors monitors) {
        this.deployments = deployments;
        this.monitors = monitors;
    }

    List<ModelCard.Serving> serving(ModelVersion version) {
        Set<String> uris = uris(version);
        List<ModelCard.Serving> out = new ArrayList<>();
        for (Deployment d : deployments.get()) {
            for (TrafficSplit split : d.routing().splits()) {
                if (uris.contains(split.model())) {
                    String role = split.version().equals(d.routing().stable()) ? "stable" : "canary";
                    out.add(new ModelCard.Serving(d, split, role));
                }
            }
            for (TrafficSplit shadow : d.routing().shadows()) {
                if (uris.contains(shadow.model())) {
                    out.add(new ModelCard.Serving(d, shadow, "shadow"));
                }
            }
        }
        return out;
    }

    /** The monitors of the deployments in {@code serving}, with their latest windows and alerts. */
    List<ModelCard.MonitorHistory> monitors(List<ModelCard.Serving> serving) {
        Set<String> names = serving.stream().map(s -> s.deployment().name()).collect(Collectors.toSet());
        List<ModelCard.MonitorHistory> out = new ArrayList<>();
        for (MonitorSpec spec : monitors.list()) {
            if (names.contains(spec.deployment())) {
                out.add(new ModelCard.MonitorHistory(
                        spec, monitors.results(spec.name(), ModelCards.MONITOR_WINDOWS), monitors.alerts(spec.name())));
            }
        }
        return out;
    }

    private static Set<String> uris(ModelVersion version) {
        Set<String> uris = new java.util.HashSet<>();
        uris.add("models:/" + version.name() + "/" + version.version());
        version.aliases().forEach(a -> uris.add("models:/" + version.name() + "@" + a));
        return uris;
    }
}
