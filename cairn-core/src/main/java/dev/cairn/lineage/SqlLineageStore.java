package dev.cairn.lineage;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cairn.core.CairnException;
import dev.cairn.core.ErrorCode;
import dev.cairn.store.Database;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.Update;

/** {@link LineageStore} over the {@code lineage_edges} table, same SQL on SQLite and PostgreSQL. */
final class SqlLineageStore implements LineageStore {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int BATCH = 500;

    // UNION (not UNION ALL) drops (node, depth) pairs already seen, and the depth bound ends every
    // walk, so a cycle costs at most depth rounds. Both directions share one statement; a flag
    // switches each side off.
    private static final String TRAVERSE = """
            WITH RECURSIVE
              up_walk(uri, depth) AS (
                SELECT CAST(:uri AS TEXT), 0
                UNION
                SELECT e.source_uri, w.depth + 1
                  FROM up_walk w JOIN lineage_edges e ON e.target_uri = w.uri
                 WHERE w.depth < :depth AND :up = 1
              ),
              down_walk(uri, depth) AS (
                SELECT CAST(:uri AS TEXT), 0
                UNION
                SELECT e.target_uri, w.depth + 1
                  FROM down_walk w JOIN lineage_edges e ON e.source_uri = w.uri
                 WHERE w.depth < :depth AND :down = 1
              ),
              up_nodes AS (SELECT uri, MIN(depth) AS depth FROM up_walk GROUP BY uri),
              down_nodes AS (SELECT uri, MIN(depth) AS depth FROM down_walk GROUP BY uri)
            SELECT 1 AS up_side, e.source_uri, e.target_uri, e.edge_type, e.created_at, e.attributes,
                   n.depth + 1 AS far_depth
              FROM up_nodes n JOIN lineage_edges e ON e.target_uri = n.uri
             WHERE n.depth < :depth AND :up = 1
            UNION ALL
            SELECT 0 AS up_side, e.source_uri, e.target_uri, e.edge_type, e.created_at, e.attributes,
                   n.depth + 1 AS far_depth
              FROM down_nodes n JOIN lineage_edges e ON e.source_uri = n.uri
             WHERE n.depth < :depth AND :down = 1
            ORDER BY far_depth, source_uri, target_uri, edge_type
            """;

    private final Database database;

    SqlLineageStore(Database database) {
        this.database = database;
    }

    @Override
    public int record(List<LineageEdge> edges) {
        return edges.isEmpty() ? 0 : database.write(handle -> insert(handle, edges));
    }

    static int insert(Handle handle, List<LineageEdge> edges) {
        int inserted = 0;
        for (int from = 0; from < edges.size(); from += BATCH) {
            List<LineageEdge> chunk = edges.subList(from, Math.min(edges.size(), from + BATCH));
            // One multi-row statement per chunk: its update count is exact on both databases,
            // unlike batch counts, which PostgreSQL's driver may report as "unknown".
            Update insert = handle.createUpdate(
                    "INSERT INTO lineage_edges (source_uri, target_uri, edge_type, created_at, attributes) VALUES "
                            + String.join(", ", Collections.nCopies(chunk.size(), "(?, ?, ?, ?, ?)"))
                            + " ON CONFLICT (source_uri, target_uri, edge_type) DO NOTHING");
            int position = 0;
            for (LineageEdge edge : chunk) {
                insert.bind(position++, edge.source())
                        .bind(position++, edge.target())
                        .bind(position++, edge.type().wireName())
                        .bind(position++, edge.createdAt().toEpochMilli())
                        .bind(position++, toJson(edge.attributes()));
            }
            inserted += insert.execute();
        }
        return inserted;
    }

    @Override
    public LineageGraph traverse(String uri, Direction direction, int depth) {
        LineageUri.validate(uri);
        CairnException.requireArgument(
                depth >= 1 && depth <= MAX_DEPTH, "depth must be between 1 and " + MAX_DEPTH + "; got " + depth);
        List<Row> rows = database.jdbi().withHandle(handle -> handle.createQuery(TRAVERSE)
                .bind("uri", uri)
                .bind("depth", depth)
                .bind("up", direction == Direction.DOWN ? 0 : 1)
                .bind("down", direction == Direction.UP ? 0 : 1)
                .map((rs, ctx) -> Row.read(rs))
                .list());
        Map<String, Integer> depths = new LinkedHashMap<>();
        depths.put(uri, 0);
        Map<String, LineageEdge> edges = new LinkedHashMap<>();
        for (Row row : rows) {
            depths.merge(row.up ? row.edge.source() : row.edge.target(), row.farDepth, Math::min);
            edges.putIfAbsent(row.edge.source() + '\n' + row.edge.target() + '\n' + row.edge.type(), row.edge);
        }
        List<LineageNode> nodes = new ArrayList<>();
        depths.forEach((node, d) -> nodes.add(new LineageNode(node, LineageUri.kindOf(node), d)));
        return new LineageGraph(uri, direction, depth, nodes, new ArrayList<>(edges.values()));
    }

    private record Row(boolean up, LineageEdge edge, int farDepth) {
        static Row read(ResultSet rs) throws SQLException {
            LineageEdge edge = new LineageEdge(
                    rs.getString("source_uri"),
                    rs.getString("target_uri"),
                    EdgeType.fromWireName(rs.getString("edge_type")),
                    Instant.ofEpochMilli(rs.getLong("created_at")),
                    fromJson(rs.getString("attributes")));
            return new Row(rs.getInt("up_side") == 1, edge, rs.getInt("far_depth"));
        }
    }

    private static String toJson(Map<String, String> attributes) {
        try {
            return JSON.writeValueAsString(new TreeMap<>(attributes));
        } catch (JsonProcessingException e) {
            throw new CairnException(ErrorCode.INTERNAL_ERROR, "cannot encode lineage attributes", e);
        }
    }

    private static Map<String, String> fromJson(String json) {
        try {
            return JSON.readValue(json, new TypeReference<Map<String, String>>() {});
        } catch (JsonProcessingException e) {
            throw new CairnException(ErrorCode.INTERNAL_ERROR, "stored lineage attributes are not JSON: " + json, e);
        }
    }
}
