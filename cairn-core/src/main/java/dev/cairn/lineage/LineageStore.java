package dev.cairn.lineage;

import dev.cairn.store.Database;
import java.util.List;
import org.jdbi.v3.core.Handle;

/**
 * Records lineage edges and walks the graph. Recording is idempotent: an edge already present (same
 * source, target and type) is kept as first recorded. A traversal is one recursive SQL query that
 * stops at the depth limit, so cycles cannot make it run away.
 */
public interface LineageStore {
    /** The deepest traversal accepted. */
    int MAX_DEPTH = 100;

    /** Records {@code edges} in one transaction; returns how many were new. */
    int record(List<LineageEdge> edges);

    /** The nodes and edges within {@code depth} edges of {@code uri}, walking {@code direction}. */
    LineageGraph traverse(String uri, Direction direction, int depth);

    static LineageStore of(Database database) {
        return new SqlLineageStore(database);
    }

    /**
     * Records {@code edges} inside the caller's write transaction (a {@link Database#write}
     * callback), so that lineage commits together with the facts it describes; returns how many
     * were new.
     */
    static int recordIn(Handle writeHandle, List<LineageEdge> edges) {
        return SqlLineageStore.insert(writeHandle, edges);
    }
}
