package dev.cairn.server.deployments;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cairn.core.CairnException;
import dev.cairn.deployments.CanaryPolicy;
import dev.cairn.deployments.CanaryVerdict;
import dev.cairn.deployments.Deployment;
import dev.cairn.deployments.DeploymentEvent;
import dev.cairn.deployments.Deployments;
import dev.cairn.deployments.Routing;
import dev.cairn.deployments.TrafficSplit;
import dev.cairn.server.ApiRoutes;
import dev.cairn.server.JsonRequests;
import dev.cairn.server.Services;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.List;

/**
 * {@code /api/v1/deployments}: create, list, get, set traffic, promote, roll back, history and
 * judge-now of deployments. The actor of a change is the {@value #USER_HEADER} header, else
 * {@code anonymous}. Inference through a deployment's name is served by the inference routes.
 */
public final class DeploymentRoutes implements ApiRoutes {
    /** The header naming who makes a change. */
    public static final String USER_HEADER = "X-Cairn-User";

    private static final String BASE = "/api/v1/deployments";

    private final Deployments deployments;
    private final JsonRequests requests;
    private final ObjectMapper json;

    public DeploymentRoutes(Services services) {
        this.deployments = services.deployments();
        this.requests = services.requests();
        this.json = services.json();
    }

    /** A split or shadow as the client sends it. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record SplitBody(String model, String version, Integer weight) {}

    /** A canary policy as the client sends it; absent fields keep their current (or default) values. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record PolicyBody(
            Double maxErrorRate,
            Double maxP99Millis,
            Integer minRequests,
            Long windowSeconds,
            Integer promoteAfter,
            Boolean autoRollback) {}

    /** A deployment's routing as the client sends it (create and set-traffic). */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record RoutingBody(
            String name, List<SplitBody> splits, String stable, List<SplitBody> shadows, PolicyBody policy) {}

    /** Promote and rollback bodies (both optional). */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record ChangeBody(String version, String reason) {}

    @Override
    public void register(RoutesConfig routes) {
        routes.post(BASE, this::create);
        routes.get(BASE, ctx -> send(ctx, list()));
        routes.get(BASE + "/{name}", ctx -> send(ctx, toJson(deployments.get(ctx.pathParam("name")))));
        routes.put(BASE + "/{name}/traffic", this::setTraffic);
        routes.post(BASE + "/{name}/promote", this::promote);
        routes.post(BASE + "/{name}/rollback", this::rollback);
        routes.get(BASE + "/{name}/history", this::history);
        routes.post(BASE + "/{name}/judge", this::judge);
    }

    private void create(Context ctx) throws Exception {
        RoutingBody body = requests.body(ctx, RoutingBody.class);
        String name = JsonRequests.required(body.name(), "name");
        Routing routing = routing(body, CanaryPolicy.defaults(), List.of());
        ctx.status(201);
        send(ctx, toJson(deployments.create(name, routing, actor(ctx))));
    }

    private void setTraffic(Context ctx) throws Exception {
        Deployment current = deployments.get(ctx.pathParam("name"));
        RoutingBody body = requests.body(ctx, RoutingBody.class);
        Routing routing =
                routing(body, current.routing().policy(), current.routing().shadows());
        send(ctx, toJson(deployments.setTraffic(current.name(), routing, actor(ctx))));
    }

    private void promote(Context ctx) throws Exception {
        ChangeBody body = requests.body(ctx, ChangeBody.class);
        String version = body.version() == null ? "" : body.version();
        send(ctx, toJson(deployments.promote(ctx.pathParam("name"), version, actor(ctx))));
    }

    private void rollback(Context ctx) throws Exception {
        ChangeBody body = requests.body(ctx, ChangeBody.class);
        String reason = body.reason() == null ? "" : body.reason();
        send(ctx, toJson(deployments.rollback(ctx.pathParam("name"), actor(ctx), reason)));
    }

    private void history(Context ctx) throws Exception {
        ObjectNode root = json.createObjectNode();
        ArrayNode events = root.putArray("history");
        for (DeploymentEvent e : deployments.history(ctx.pathParam("name"))) {
            ObjectNode event = events.addObject()
                    .put("id", e.id())
                    .put("action", e.action().name())
                    .put("actor", e.actor())
                    .put("at", e.at().toEpochMilli())
                    .put("reason", e.reason());
            event.set("routing", routing(e.routing()));
        }
        send(ctx, root);
    }

    private void judge(Context ctx) throws Exception {
        ObjectNode root = json.createObjectNode();
        ArrayNode verdicts = root.putArray("verdicts");
        for (CanaryVerdict v : deployments.judgeCanaries(ctx.pathParam("name"))) {
            verdicts.addObject()
                    .put("version", v.version())
                    .put("requests", v.requests())
                    .put("error_rate", v.errorRate())
                    .put("p99_millis", v.p99Millis())
                    .put("outcome", v.outcome().name());
        }
        send(ctx, root);
    }

    private ObjectNode list() {
        ObjectNode root = json.createObjectNode();
        ArrayNode all = root.putArray("deployments");
        deployments.list().forEach(d -> all.add(toJson(d)));
        return root;
    }

    private static Routing routing(RoutingBody body, CanaryPolicy policy, List<TrafficSplit> currentShadows) {
        List<TrafficSplit> splits = splits(JsonRequests.required(body.splits(), "splits"), "splits");
        List<TrafficSplit> shadows = body.shadows() == null ? currentShadows : splits(body.shadows(), "shadows");
        return new Routing(splits, body.stable(), shadows, policy(body.policy(), policy));
    }

    private static List<TrafficSplit> splits(List<SplitBody> bodies, String field) {
        JsonRequests.elements(bodies, field);
        return bodies.stream()
                .map(s -> new TrafficSplit(
                        JsonRequests.required(s.model(), field + ".model"),
                        s.version() == null ? "" : s.version(),
                        field.equals("shadows") && s.weight() == null
                                ? 100
                                : JsonRequests.required(s.weight(), field + ".weight")))
                .toList();
    }

    private static CanaryPolicy policy(PolicyBody body, CanaryPolicy base) {
        if (body == null) {
            return base;
        }
        return new CanaryPolicy(
                body.maxErrorRate() == null ? base.maxErrorRate() : body.maxErrorRate(),
                body.maxP99Millis() == null ? base.maxP99Millis() : body.maxP99Millis(),
                body.minRequests() == null ? base.minRequests() : body.minRequests(),
                body.windowSeconds() == null ? base.windowSeconds() : body.windowSeconds(),
                body.promoteAfter() == null ? base.promoteAfter() : body.promoteAfter(),
                body.autoRollback() == null ? base.autoRollback() : body.autoRollback());
    }

    private ObjectNode toJson(Deployment d) {
        ObjectNode node = json.createObjectNode()
                .put("name", d.name())
                .put("status", d.status().name())
                .put("created_at", d.createdAt().toEpochMilli())
                .put("created_by", d.createdBy())
                .put("updated_at", d.updatedAt().toEpochMilli())
                .put("updated_by", d.updatedBy());
        node.set("routing", routing(d.routing()));
        return node;
    }

    private ObjectNode routing(Routing r) {
        ObjectNode node = json.createObjectNode().put("stable", r.stable());
        splits(node.putArray("splits"), r.splits());
        splits(node.putArray("shadows"), r.shadows());
        CanaryPolicy p = r.policy();
        node.putObject("policy")
                .put("max_error_rate", p.maxErrorRate())
                .put("max_p99_millis", p.maxP99Millis())
                .put("min_requests", p.minRequests())
                .put("window_seconds", p.windowSeconds())
                .put("promote_after", p.promoteAfter())
                .put("auto_rollback", p.autoRollback());
        return node;
    }

    private static void splits(ArrayNode array, List<TrafficSplit> splits) {
        for (TrafficSplit s : splits) {
            array.addObject()
                    .put("model", s.model())
                    .put("version", s.version())
                    .put("weight", s.weight());
        }
    }

    private static String actor(Context ctx) {
        String user = ctx.header(USER_HEADER);
        if (user == null || user.isBlank()) {
            return Deployments.ANONYMOUS;
        }
        CairnException.requireArgument(
                user.length() <= 256, "header " + USER_HEADER + " must be at most 256 characters");
        return user.strip();
    }

    private void send(Context ctx, ObjectNode body) throws Exception {
        ctx.contentType("application/json").result(json.writeValueAsBytes(body));
    }
}
