package dev.cairn.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cairn.core.CairnException;
import dev.cairn.pipelines.Pipeline;
import dev.cairn.pipelines.execution.PipelineRunRecord;
import dev.cairn.pipelines.execution.RunOptions;
import dev.cairn.pipelines.execution.StepRunRecord;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The server's own pipelines over HTTP: {@code GET /api/v1/pipelines} lists those loaded from
 * {@code $CAIRN_HOME/pipelines/<project>/cairn.yaml} with their schedule and triggers; {@code POST
 * /api/v1/pipelines/{name}/runs} with {@code {"params": {"k": "v"}}} runs one to its end and answers
 * the run's record; {@code GET /api/v1/pipelines/runs/{id}} reads a run's record.
 */
final class PipelineRoutes implements ApiRoutes {
    private static final String BASE = "/api/v1/pipelines";

    private final Services services;

    PipelineRoutes(Services services) {
        this.services = services;
    }

    @Override
    public void register(RoutesConfig routes) {
        routes.get(BASE, this::list);
        routes.post(BASE + "/{name}/runs", this::run);
        routes.get(
                BASE + "/runs/{id}",
                ctx -> send(ctx, toJson(services.pipelines().engine().status(ctx.pathParam("id")))));
    }

    private void list(Context ctx) throws Exception {
        ObjectNode out = services.json().createObjectNode();
        ArrayNode items = out.putArray("pipelines");
        for (Pipeline p : services.pipelines().loaded()) {
            ObjectNode o = items.addObject().put("name", p.name());
            p.schedule().ifPresent(s -> o.put("schedule", s));
            ObjectNode t = o.putObject("triggers");
            p.triggers().datasets().forEach(t.withArray("datasets")::add);
            p.triggers().alerts().forEach(t.withArray("alerts")::add);
            p.triggers().models().forEach(t.withArray("models")::add);
            p.steps().keySet().forEach(o.withArray("steps")::add);
        }
        send(ctx, out);
    }

    private void run(Context ctx) throws Exception {
        String name = ctx.pathParam("name");
        Pipeline pipeline = services.pipelines().loaded().stream()
                .filter(p -> p.name().equals(name))
                .findFirst()
                .orElseThrow(() -> CairnException.notFound("pipeline '" + name + "' is not loaded; see GET " + BASE));
        Map<String, String> params = new LinkedHashMap<>();
        JsonNode given = services.requests().body(ctx, JsonNode.class).path("params");
        CairnException.requireArgument(
                given.isMissingNode() || given.isObject(), "params must be an object; got " + given);
        given.properties().forEach(e -> params.put(e.getKey(), e.getValue().asText()));
        PipelineRunRecord record = services.pipelines()
                .engine()
                .run(pipeline, RunOptions.withParams(params).tags(Map.of("cairn.trigger", "api")));
        send(ctx, toJson(record));
    }

    private ObjectNode toJson(PipelineRunRecord r) {
        ObjectNode o = services.json()
                .createObjectNode()
                .put("id", r.id())
                .put("pipeline", r.pipelineName())
                .put("tracking_run_id", r.trackingRunId())
                .put("status", r.status().name());
        r.message().ifPresent(m -> o.put("message", m));
        ArrayNode steps = o.putArray("steps");
        for (StepRunRecord s : r.steps()) {
            ObjectNode step = steps.addObject()
                    .put("step", s.step())
                    .put("status", s.status().name());
            s.message().ifPresent(m -> step.put("message", m));
            s.trackingRunId().ifPresent(id -> step.put("tracking_run_id", id));
        }
        return o;
    }

    private void send(Context ctx, JsonNode json) throws Exception {
        ctx.contentType("application/json").result(services.json().writeValueAsBytes(json));
    }
}
