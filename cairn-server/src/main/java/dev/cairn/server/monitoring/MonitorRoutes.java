package dev.cairn.server.monitoring;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cairn.core.CairnException;
import dev.cairn.monitoring.FeedbackLabel;
import dev.cairn.monitoring.FeedbackOutcome;
import dev.cairn.monitoring.MonitorResult;
import dev.cairn.monitoring.MonitorSpec;
import dev.cairn.monitoring.Monitors;
import dev.cairn.monitoring.alerts.Alert;
import dev.cairn.server.ApiRoutes;
import dev.cairn.server.JsonRequests;
import dev.cairn.server.Services;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Monitors over REST: {@code POST/GET /api/v1/monitors}, {@code GET /api/v1/monitors/{name}},
 * {@code POST .../{name}/run} (body {@code {"end": epochMillis}}, default now), {@code GET
 * .../{name}/results?limit=N}, {@code GET .../{name}/alerts}, and ground truth through {@code POST
 * /api/v1/feedback} with {@code {"labels": [{"request_id": ..., "label": ...}]}}. A monitor's
 * {@code reference} is a dataset version of the server's store ({@code cairn-dataset:/NAME/VERSION[/FILE]})
 * or a file under the server's reference directories; an unknown or ambiguous one is a 4xx naming it.
 */
public final class MonitorRoutes implements ApiRoutes {
    private static final String BASE = "/api/v1/monitors";

    private final Monitors monitors;
    private final ObjectMapper json;
    private final JsonRequests requests;

    public MonitorRoutes(Services services) {
        this.monitors = services.monitors();
        this.json = services.json();
        this.requests = services.requests();
    }

    @Override
    public void register(RoutesConfig routes) {
        routes.post(BASE, this::create);
        routes.get(BASE, this::list);
        routes.get(
                BASE + "/{name}", ctx -> send(ctx, spec(ctx.pathParam("name")).toJson(json)));
        routes.post(BASE + "/{name}/run", this::run);
        routes.get(BASE + "/{name}/results", this::results);
        routes.get(BASE + "/{name}/alerts", this::alerts);
        routes.post("/api/v1/feedback", this::feedback);
    }

    private void create(Context ctx) throws Exception {
        MonitorSpec spec = monitors.create(MonitorSpec.fromJson(requests.body(ctx, JsonNode.class)));
        ctx.status(201);
        send(ctx, spec.toJson(json));
    }

    private void list(Context ctx) throws Exception {
        ObjectNode out = json.createObjectNode();
        ArrayNode items = out.putArray("monitors");
        monitors.list().forEach(s -> items.add(s.toJson(json)));
        send(ctx, out);
    }

    private void run(Context ctx) throws Exception {
        String name = ctx.pathParam("name");
        JsonNode body = requests.body(ctx, JsonNode.class);
        JsonNode end = body.path("end");
        Instant at = Instant.now();
        if (!end.isMissingNode() && !end.isNull()) {
            CairnException.requireArgument(
                    end.canConvertToLong() && end.isIntegralNumber() && end.asLong() >= 0,
                    "end must be epoch milliseconds; got " + end);
            at = Instant.ofEpochMilli(end.asLong());
        }
        send(ctx, result(monitors.run(name, at)));
    }

    private void results(Context ctx) throws Exception {
        String limit = ctx.queryParam("limit");
        int n = 100;
        if (limit != null) {
            try {
                n = Integer.parseInt(limit.strip());
            } catch (NumberFormatException e) {
                throw CairnException.invalid("limit must be a whole number; got '" + limit + "'");
            }
        }
        ObjectNode out = json.createObjectNode();
        ArrayNode items = out.putArray("results");
        monitors.results(ctx.pathParam("name"), n).forEach(r -> items.add(result(r)));
        send(ctx, out);
    }

    private void alerts(Context ctx) throws Exception {
        ObjectNode out = json.createObjectNode();
        ArrayNode items = out.putArray("alerts");
        for (Alert a : monitors.alerts(ctx.pathParam("name"))) {
            ObjectNode o = items.addObject()
                    .put("id", a.id())
                    .put("rule", a.rule())
                    .put("state", a.state().name().toLowerCase(Locale.ROOT))
                    .put("value", a.value())
                    .put("message", a.message())
                    .put("fired_at", a.firedAt().toEpochMilli());
            a.resolvedAt().ifPresent(t -> o.put("resolved_at", t.toEpochMilli()));
        }
        send(ctx, out);
    }

    private void feedback(Context ctx) throws Exception {
        JsonNode labels = requests.body(ctx, JsonNode.class).get("labels");
        CairnException.requireArgument(
                labels != null && labels.isArray(), "labels must be an array of {request_id, label}");
        List<FeedbackLabel> parsed = new ArrayList<>();
        for (int i = 0; i < labels.size(); i++) {
            JsonNode l = labels.get(i);
            JsonNode id = l.path("request_id");
            JsonNode label = l.path("label");
            CairnException.requireArgument(id.isTextual(), "labels[" + i + "].request_id must be a string; got " + id);
            CairnException.requireArgument(
                    label.isTextual() || label.isNumber() || label.isBoolean(),
                    "labels[" + i + "].label must be a number, boolean or string; got " + label);
            parsed.add(new FeedbackLabel(id.asText(), label.asText()));
        }
        FeedbackOutcome outcome = monitors.feedback(parsed);
        ObjectNode out =
                json.createObjectNode().put("accepted", outcome.accepted()).put("duplicates", outcome.duplicates());
        outcome.unknown().forEach(out.putArray("unknown_request_ids")::add);
        send(ctx, out);
    }

    private MonitorSpec spec(String name) {
        return monitors.get(name).orElseThrow(() -> CairnException.notFound("monitor '" + name + "' does not exist"));
    }

    private ObjectNode result(MonitorResult r) {
        ObjectNode o = json.createObjectNode()
                .put("monitor", r.monitor())
                .put("window_start", r.windowStart().toEpochMilli())
                .put("window_end", r.windowEnd().toEpochMilli())
                .put("status", r.status())
                .put("row_count", r.rowCount())
                .put("labeled_count", r.labeledCount())
                .put("dataset_drift", r.datasetDrift());
        if (Double.isNaN(r.driftShare())) {
            o.putNull("drift_share");
        } else {
            o.put("drift_share", r.driftShare());
        }
        o.set("columns", r.columns());
        o.set("metrics", r.metrics());
        return o;
    }

    private void send(Context ctx, JsonNode body) throws Exception {
        ctx.contentType("application/json").result(json.writeValueAsBytes(body));
    }
}
