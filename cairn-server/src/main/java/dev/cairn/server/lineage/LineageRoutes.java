package dev.cairn.server.lineage;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cairn.core.CairnException;
import dev.cairn.lineage.Direction;
import dev.cairn.lineage.LineageEdge;
import dev.cairn.lineage.LineageGraph;
import dev.cairn.lineage.LineageNode;
import dev.cairn.lineage.LineageStore;
import dev.cairn.server.ApiRoutes;
import dev.cairn.server.Services;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;

/**
 * {@code GET /api/v1/lineage?uri=...&direction=up|down|both&depth=N}: the lineage graph around a
 * node as JSON nodes and edges.
 */
public final class LineageRoutes implements ApiRoutes {
    /** The depth used when the request names none. */
    public static final int DEFAULT_DEPTH = 10;

    private final LineageStore lineage;
    private final ObjectMapper json;

    public LineageRoutes(Services services) {
        this.lineage = LineageStore.of(services.database());
        this.json = services.json();
    }

    @Override
    public void register(RoutesConfig routes) {
        routes.get("/api/v1/lineage", this::lineage);
    }

    private void lineage(Context ctx) throws Exception {
        String uri = ctx.queryParam("uri");
        CairnException.requireArgument(uri != null && !uri.isBlank(), "query parameter 'uri' is required");
        String direction = ctx.queryParam("direction");
        Direction walk = direction == null ? Direction.BOTH : Direction.parse(direction);
        LineageGraph graph = lineage.traverse(uri, walk, depth(ctx.queryParam("depth")));
        ctx.contentType("application/json").result(json.writeValueAsBytes(toJson(graph)));
    }

    private static int depth(String value) {
        if (value == null) {
            return DEFAULT_DEPTH;
        }
        try {
            return Integer.parseInt(value.strip());
        } catch (NumberFormatException e) {
            throw CairnException.invalid("depth must be a whole number; got '" + value + "'");
        }
    }

    private ObjectNode toJson(LineageGraph graph) {
        ObjectNode root = json.createObjectNode();
        root.put("root", graph.root());
        root.put("direction", graph.direction().name().toLowerCase(java.util.Locale.ROOT));
        root.put("depth", graph.depth());
        ArrayNode nodes = root.putArray("nodes");
        for (LineageNode node : graph.nodes()) {
            nodes.addObject()
                    .put("uri", node.uri())
                    .put("kind", node.kind().wireName())
                    .put("depth", node.depth());
        }
        ArrayNode edges = root.putArray("edges");
        for (LineageEdge edge : graph.edges()) {
            ObjectNode e = edges.addObject()
                    .put("source", edge.source())
                    .put("target", edge.target())
                    .put("type", edge.type().wireName())
                    .put("created_at", edge.createdAt().toEpochMilli());
            ObjectNode attributes = e.putObject("attributes");
            edge.attributes().forEach(attributes::put);
        }
        return root;
    }
}
