package dev.cairn.deployments;

import dev.cairn.core.CairnException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * How a deployment divides its traffic: weighted splits summing to 100, the stable version that
 * rollbacks return to, shadows (each mirrored a {@code weight} percent of requests, answers dropped)
 * and the canary policy that judges every other version taking traffic.
 */
public record Routing(List<TrafficSplit> splits, String stable, List<TrafficSplit> shadows, CanaryPolicy policy) {

    public Routing {
        CairnException.requireArgument(splits != null && !splits.isEmpty(), "'splits' must name at least one version");
        splits = List.copyOf(splits);
        shadows = shadows == null ? List.of() : List.copyOf(shadows);
        policy = policy == null ? CanaryPolicy.defaults() : policy;
        int total = splits.stream().mapToInt(TrafficSplit::weight).sum();
        CairnException.requireArgument(
                total == 100, "split weights must sum to 100, got " + total + " (" + weights(splits) + ")");
        Set<String> seen = new HashSet<>();
        for (TrafficSplit split : concat(splits, shadows)) {
            CairnException.requireArgument(
                    seen.add(split.version()), "version '" + split.version() + "' appears twice in splits and shadows");
        }
        stable = stable == null || stable.isBlank() ? heaviest(splits) : stable.strip();
        String wanted = stable;
        CairnException.requireArgument(
                splits.stream().anyMatch(s -> s.version().equals(wanted)),
                "'stable' version '" + stable + "' is not one of the splits " + weights(splits));
    }

    /** The split serving as the stable version. */
    public TrafficSplit stableSplit() {
        return splits.stream()
                .filter(s -> s.version().equals(stable))
                .findFirst()
                .orElseThrow();
    }

    /** The versions other than the stable one that take traffic: the ones a canary policy judges. */
    public List<TrafficSplit> canaries() {
        return splits.stream()
                .filter(s -> !s.version().equals(stable) && s.weight() > 0)
                .toList();
    }

    /** The split or shadow serving {@code version}, if any. */
    public Optional<TrafficSplit> target(String version) {
        return concat(splits, shadows).stream()
                .filter(s -> s.version().equals(version))
                .findFirst();
    }

    /** Every split and shadow, which the engine must have loaded. */
    public List<TrafficSplit> targets() {
        return concat(splits, shadows);
    }

    /** This routing with all traffic on {@code version}, which becomes stable; shadows and policy stay. */
    public Routing allOn(TrafficSplit version) {
        return new Routing(List.of(version.withWeight(100)), version.version(), shadows, policy);
    }

    /** STABLE when the stable version takes all traffic, else CANARY. */
    public DeploymentStatus status() {
        return canaries().isEmpty() ? DeploymentStatus.STABLE : DeploymentStatus.CANARY;
    }

    private static String heaviest(List<TrafficSplit> splits) {
        TrafficSplit best = splits.get(0);
        for (TrafficSplit s : splits) {
            if (s.weight() > best.weight()) {
                best = s;
            }
        }
        return best.version();
    }

    private static List<String> weights(List<TrafficSplit> splits) {
        return splits.stream().map(s -> s.version() + "=" + s.weight()).toList();
    }

    private static List<TrafficSplit> concat(List<TrafficSplit> a, List<TrafficSplit> b) {
        var all = new ArrayList<TrafficSplit>(a);
        all.addAll(b);
        return all;
    }
}
