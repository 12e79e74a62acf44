package dev.cairn.registry;

import dev.cairn.store.Dialect;
import dev.cairn.tracking.BoundSql;
import dev.cairn.tracking.SearchFilter;
import dev.cairn.tracking.SearchFilter.Comparison;
import dev.cairn.tracking.SearchFilter.OrderBy;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Compiles a registry search into one SQL statement: each tag in the filter is one join on the tag
 * table's primary key, so every model or version appears at most once.
 */
final class RegistrySearchQuery {
    static final String MODEL_COLUMNS =
            "m.model_id, m.name, m.description, m.creation_timestamp, m.last_updated_timestamp";
    static final String VERSION_COLUMNS = "v.model_id, m.name, v.version, v.creation_timestamp,"
            + " v.last_updated_timestamp, v.user_id, v.current_stage, v.description, v.source, v.run_id,"
            + " v.run_link, v.status, v.storage_location";
    static final String VERSION_FROM = " FROM model_versions v JOIN registered_models m ON m.model_id = v.model_id";

    private static final Map<String, String> MODEL_KEYS = Map.of(
            "name", "m.name",
            "creation_timestamp", "m.creation_timestamp",
            "last_updated_timestamp", "m.last_updated_timestamp");
    private static final Map<String, String> VERSION_KEYS = Map.of(
            "name", "m.name",
            "run_id", "v.run_id",
            "source_path", "v.source",
            "version_number", "v.version",
            "creation_timestamp", "v.creation_timestamp",
            "last_updated_timestamp", "v.last_updated_timestamp");

    private RegistrySearchQuery() {}

    static BoundSql models(Dialect dialect, RegistrySearch search, int offset, int limit) {
        BoundSql joins = new BoundSql();
        BoundSql where = new BoundSql().append(" WHERE 1 = 1");
        int alias = 0;
        for (Comparison c : SearchFilter.parse(search.filter(), SearchFilter.Target.REGISTERED_MODELS)) {
            if (c.entity() == SearchFilter.Entity.TAG) {
                String t = "t" + alias++;
                joins.append(
                        " JOIN registered_model_tags " + t + " ON " + t + ".model_id = m.model_id AND " + t
                                + ".key = ?",
                        c.key());
                predicate(where, dialect, t + ".value", c);
            } else {
                predicate(where, dialect, MODEL_KEYS.get(c.key()), c);
            }
        }
        String order = order(search, SearchFilter.Target.REGISTERED_MODELS, MODEL_KEYS, List.of("m.name"));
        return new BoundSql()
                .append("SELECT " + MODEL_COLUMNS + " FROM registered_models m")
                .append(joins)
                .append(where)
                .append(" ORDER BY " + order + ", m.model_id")
                .append(" LIMIT ? OFFSET ?", limit + 1, offset);
    }

    static BoundSql versions(Dialect dialect, RegistrySearch search, int offset, int limit) {
        BoundSql joins = new BoundSql();
        BoundSql where = new BoundSql().append(" WHERE 1 = 1");
        int alias = 0;
        for (Comparison c : SearchFilter.parse(search.filter(), SearchFilter.Target.MODEL_VERSIONS)) {
            if (c.entity() == SearchFilter.Entity.TAG) {
                String t = "t" + alias++;
                joins.append(
                        " JOIN model_version_tags " + t + " ON " + t + ".model_id = v.model_id AND " + t
                                + ".version = v.version AND " + t + ".key = ?",
                        c.key());
                predicate(where, dialect, t + ".value", c);
            } else if (c.key().equals("version_number")) {
                where.append(" AND v.version " + c.op().sql() + " ?", c.number());
            } else {
                predicate(where, dialect, VERSION_KEYS.get(c.key()), c);
            }
        }
        String order =
                order(search, SearchFilter.Target.MODEL_VERSIONS, VERSION_KEYS, List.of("m.name", "v.version DESC"));
        return new BoundSql()
                .append("SELECT " + VERSION_COLUMNS + VERSION_FROM)
                .append(joins)
                .append(where)
                .append(" ORDER BY " + order + ", v.model_id")
                .append(" LIMIT ? OFFSET ?", limit + 1, offset);
    }

    /** {@code AND column op ?} for the string operators: = != LIKE ILIKE IN NOT IN. */
    private static void predicate(BoundSql sql, Dialect dialect, String column, Comparison c) {
        sql.append(" AND ");
        switch (c.op()) {
            case LIKE -> sql.append(column + " LIKE ?", c.text());
            case ILIKE -> sql.append(dialect.ilike(column, "?"), c.text());
            case IN -> sql.append(column + " IN ").appendList(c.list());
            case NOT_IN -> sql.append(column + " NOT IN ").appendList(c.list());
            default -> sql.append(column + " " + c.op().sql() + " ?", c.text());
        }
    }

    /** The requested order, then the defaults the request did not name, so that pages are stable. */
    private static String order(
            RegistrySearch search, SearchFilter.Target target, Map<String, String> keys, List<String> defaults) {
        StringBuilder order = new StringBuilder();
        Set<String> named = new HashSet<>();
        for (String clause : search.orderBy()) {
            OrderBy o = SearchFilter.parseOrderBy(clause, target);
            String column = keys.get(o.key());
            named.add(column);
            order.append(order.length() == 0 ? "" : ", ").append(column).append(o.ascending() ? "" : " DESC");
        }
        for (String item : defaults) {
            if (!named.contains(item.split(" ")[0])) {
                order.append(order.length() == 0 ? "" : ", ").append(item);
            }
        }
        return order.toString();
    }
}
