package dev.cairn.rollout;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cairn.core.CairnException;
import dev.cairn.core.ErrorCode;
import dev.cairn.deployments.CanaryPolicy;
import dev.cairn.deployments.Deployment;
import dev.cairn.deployments.Deployments;
import dev.cairn.deployments.Routing;
import dev.cairn.deployments.TrafficSplit;
import dev.cairn.evaluation.PromotionDecision;
import dev.cairn.lineage.EdgeType;
import dev.cairn.lineage.LineageEdge;
import dev.cairn.lineage.LineageStore;
import dev.cairn.lineage.LineageUri;
import dev.cairn.pipelines.builtin.BuiltinContext;
import dev.cairn.pipelines.builtin.BuiltinStep;
import dev.cairn.pipelines.builtin.StepConfig;
import dev.cairn.registry.ModelVersion;
import dev.cairn.registry.RegistryStore;
import dev.cairn.store.Database;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@code uses: deploy}: rolls a registered model version out on a deployment as a canary taking
 * {@code percent} of the traffic beside the stable version, judged by the canary policy (rolled back
 * when it breaches, promoted after {@code promote_after} good requests); a deployment that does not
 * exist yet is created with all traffic on the version. A NOT_BLESSED version is refused. Records
 * lineage {@code models:/NAME/VERSION -deployed_as-> deployments:/NAME}. The README of
 * cairn-pipelines lists its {@code with:} keys.
 */
public final class DeployStep implements BuiltinStep {
    /** The actor recorded on the deployment's history. */
    public static final String ACTOR = "cairn-pipeline";

    private static final Set<String> KEYS = Set.of("deployment", "model", "version", "percent", "policy");
    private static final Set<String> POLICY_KEYS = Set.of(
            "max_error_rate", "max_p99_millis", "min_requests", "window_seconds", "promote_after", "auto_rollback");

    @Override
    public String name() {
        return "deploy";
    }

    @Override
    public String version() {
        return "1";
    }

    @Override
    public void run(BuiltinContext context) throws Exception {
        StepConfig config = StepConfig.of(context, KEYS);
        String name = config.string("deployment");
        int percent = (int) config.integer("percent", 10);
        if (percent < 1 || percent > 99) {
            throw config.bad("percent", "must be in [1, 99]; got " + percent);
        }
        CanaryPolicy policy = policy(config);
        Database db = context.services().require(Database.class, context.stepName());
        Deployments deployments = context.services().require(Deployments.class, context.stepName());
        ModelVersion version = version(context, config, RegistryStore.on(db, context.tracking()));
        Map<String, String> tags = new HashMap<>();
        version.tags().forEach(t -> tags.put(t.key(), t.value()));
        PromotionDecision decision = PromotionDecision.of(tags);
        if (!decision.allowed()) {
            throw new CairnException(
                    ErrorCode.INVALID_STATE,
                    "models:/" + version.name() + "/" + version.version() + " is not deployed: " + decision.reason());
        }
        String uri = "models:/" + version.name() + "/" + version.version();
        TrafficSplit candidate = new TrafficSplit(uri, "", percent);
        Optional<Deployment> existing =
                deployments.list().stream().filter(d -> d.name().equals(name)).findFirst();
        Deployment result;
        if (existing.isEmpty()) {
            result = deployments.create(
                    name, new Routing(List.of(candidate.withWeight(100)), "", List.of(), policy), ACTOR);
            context.log().println("created deployment " + name + " serving " + uri);
        } else {
            TrafficSplit stable = existing.get().routing().stableSplit();
            if (stable.version().equals(candidate.version())) {
                throw new CairnException(
                        ErrorCode.INVALID_STATE,
                        "deployment '" + name + "' already serves " + uri + " as its stable version");
            }
            Routing routing = new Routing(
                    List.of(stable.withWeight(100 - percent), candidate),
                    stable.version(),
                    existing.get().routing().shadows(),
                    policy);
            result = deployments.setTraffic(name, routing, ACTOR);
            context.log()
                    .println(
                            "deployment " + name + ": canary " + uri + " at " + percent + "% beside " + stable.model());
        }
        LineageStore.of(db)
                .record(List.of(LineageEdge.of(
                                LineageUri.model(version.name(), version.version()),
                                EdgeType.DEPLOYED_AS,
                                LineageUri.deployment(name))
                        .withAttributes(Map.of(
                                "pipeline_run", context.pipelineRunId(),
                                "status", result.status().name(),
                                "percent", Integer.toString(existing.isEmpty() ? 100 : percent)))));
        context.logMetric("canary_percent", existing.isEmpty() ? 100 : percent, 0);
    }

    /** The version named by {@code with.model} (a models:/ URI), or in the {@code version} input an upstream register step wrote. */
    private static ModelVersion version(BuiltinContext context, StepConfig config, RegistryStore registry)
            throws java.io.IOException {
        String uri;
        if (config.has("model")) {
            uri = config.string("model");
        } else {
            Path file = config.input(context, "version", "version");
            JsonNode json = new ObjectMapper().readTree(file.toFile());
            uri = json.path("uri").asText();
        }
        String rest = uri.startsWith("models:/") ? uri.substring(8) : "";
        int slash = rest.indexOf('/');
        if (slash <= 0) {
            throw config.bad("model", "must be models:/NAME/VERSION; got '" + uri + "'");
        }
        return registry.getModelVersion(rest.substring(0, slash), rest.substring(slash + 1));
    }

    private static CanaryPolicy policy(StepConfig config) {
        Map<String, Object> given = config.map("policy");
        for (String key : given.keySet()) {
            if (!POLICY_KEYS.contains(key)) {
                throw config.bad(
                        "policy", "has unknown key '" + key + "'; known: " + new java.util.TreeSet<>(POLICY_KEYS));
            }
        }
        CanaryPolicy d = CanaryPolicy.defaults();
        int minRequests = (int) number(config, given, "min_requests", d.minRequests());
        return new CanaryPolicy(
                number(config, given, "max_error_rate", d.maxErrorRate()),
                number(config, given, "max_p99_millis", d.maxP99Millis()),
                minRequests,
                (long) number(config, given, "window_seconds", d.windowSeconds()),
                (int) number(config, given, "promote_after", 2L * minRequests),
                !"false".equals(String.valueOf(given.getOrDefault("auto_rollback", "true"))));
    }

    private static double number(StepConfig config, Map<String, Object> given, String key, double fallback) {
        Object v = given.get(key);
        if (v == null) {
            return fallback;
        }
        try {
            return Double.parseDouble(String.valueOf(v));
        } catch (NumberFormatException e) {
            throw config.bad("policy", key + " must be a number; got '" + v + "'");
        }
    }
}
