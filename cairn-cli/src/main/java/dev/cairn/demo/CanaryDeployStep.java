package dev.cairn.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cairn.core.CairnException;
import dev.cairn.core.ErrorCode;
import dev.cairn.evaluation.PromotionDecision;
import dev.cairn.pipelines.builtin.BuiltinContext;
import dev.cairn.pipelines.builtin.BuiltinStep;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code uses: flights-deploy}: a blessed version becomes the first deployment's only version (and
 * the champion), or a canary beside the stable one, judged by the server's canary judge; through the
 * server's REST API, so that the server's own router serves the change at once.
 */
final class CanaryDeployStep implements BuiltinStep {
    /** The share of traffic a new blessed version takes until the canary judge promotes it. */
    static final int CANARY_PERCENT = 25;
    /** Canary requests without errors or slow answers after which the judge promotes. */
    static final int PROMOTE_AFTER = 100;

    private final StepParts parts;

    CanaryDeployStep(StepParts parts) {
        this.parts = parts;
    }

    @Override
    public String name() {
        return "flights-deploy";
    }

    @Override
    public String version() {
        return "1";
    }

    @Override
    public void run(BuiltinContext context) {
        JsonNode registered = StepParts.read(context.inputs().get("version"));
        String version = registered.path("version").asText();
        Map<String, String> tags = new HashMap<>();
        parts.registry().getModelVersion(DemoStory.MODEL, version).tags().forEach(t -> tags.put(t.key(), t.value()));
        String action = decide(version, PromotionDecision.of(tags));
        StepParts.write(context.outputs().get("deployment"), Map.of("version", version, "action", action));
        StepParts.log(context, Map.of("deployment_action", action), Map.of());
        context.log().printf("%s: %s%n", DemoStory.MODEL, action);
    }

    private String decide(String version, PromotionDecision decision) {
        if (!decision.allowed()) {
            return "not deployed: " + decision.reason();
        }
        Optional<JsonNode> current = deployment();
        if (current.isEmpty()) {
            ObjectNode body = routing(List.of(split(version, 100)), version);
            body.put("name", DemoStory.MODEL);
            parts.rest().call("POST", "/api/v1/deployments", body);
            parts.registry().setRegisteredModelAlias(DemoStory.MODEL, "champion", version);
            return "created with version " + version + " taking all traffic";
        }
        String stable = current.get().path("routing").path("stable").asText();
        if (stable.equals(version)) {
            return "version " + version + " already serves all traffic";
        }
        parts.rest()
                .call(
                        "PUT",
                        "/api/v1/deployments/" + DemoStory.MODEL + "/traffic",
                        routing(List.of(split(stable, 100 - CANARY_PERCENT), split(version, CANARY_PERCENT)), stable));
        return "canary: version " + version + " takes " + CANARY_PERCENT + "% of traffic beside version " + stable;
    }

    private Optional<JsonNode> deployment() {
        try {
            return Optional.of(parts.rest().call("GET", "/api/v1/deployments/" + DemoStory.MODEL, null));
        } catch (CairnException e) {
            if (e.code() == ErrorCode.RESOURCE_DOES_NOT_EXIST) {
                return Optional.empty();
            }
            throw e;
        }
    }

    private static ObjectNode split(String version, int weight) {
        return StepParts.object()
                .put("model", "models:/" + DemoStory.MODEL + "/" + version)
                .put("weight", weight);
    }

    private static ObjectNode routing(List<ObjectNode> splits, String stable) {
        ObjectNode body = StepParts.object();
        ArrayNode array = body.putArray("splits");
        new ArrayList<>(splits).forEach(array::add);
        body.put("stable", stable);
        body.putObject("policy")
                .put("min_requests", PROMOTE_AFTER / 2)
                .put("promote_after", PROMOTE_AFTER)
                .put("max_error_rate", 0.01)
                .put("auto_rollback", true);
        return body;
    }
}
