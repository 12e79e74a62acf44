package dev.cairn.tracking;

import dev.cairn.store.Dialect;
import java.util.List;

/** Compiles an experiment search into one SQL statement, joining experiment tags by (experiment, key). */
final class ExperimentSearchQuery {
    static final String EXPERIMENT_COLUMNS =
            "e.experiment_id, e.name, e.artifact_location, e.lifecycle_stage, e.creation_time, e.last_update_time";

    private ExperimentSearchQuery() {}

    static BoundSql compile(
            Dialect dialect,
            ViewType viewType,
            List<SearchFilter.Comparison> filter,
            List<SearchFilter.OrderBy> orderBy,
            int offset,
            int limit) {
        BoundSql joins = new BoundSql();
        BoundSql where =
                new BoundSql().append(" WHERE e.lifecycle_stage IN ").appendList(RunSearchQuery.stages(viewType));
        int alias = 0;
        for (SearchFilter.Comparison c : filter) {
            if (c.entity() == SearchFilter.Entity.TAG) {
                String a = "t" + alias++;
                joins.append(
                        " JOIN experiment_tags " + a + " ON " + a + ".experiment_id = e.experiment_id AND " + a
                                + ".key = ?",
                        c.key());
                where.append(" AND ");
                RunSearchQuery.stringPredicate(where, dialect, a + ".value", c);
            } else if (SearchFilter.EXPERIMENT_NUMERIC_ATTRIBUTES.contains(c.key())) {
                where.append(" AND e." + c.key() + " " + c.op().sql + " ?", c.number());
            } else {
                where.append(" AND ");
                String column = c.key().equals("experiment_id") ? "CAST(e.experiment_id AS TEXT)" : "e." + c.key();
                RunSearchQuery.stringPredicate(where, dialect, column, c);
            }
        }
        return new BoundSql()
                .append("SELECT " + EXPERIMENT_COLUMNS + " FROM experiments e")
                .append(joins)
                .append(where)
                .append(" ORDER BY " + order(orderBy))
                .append(" LIMIT ? OFFSET ?", limit + 1, offset);
    }

    private static String order(List<SearchFilter.OrderBy> clauses) {
        StringBuilder order = new StringBuilder();
        boolean id = false;
        for (SearchFilter.OrderBy clause : clauses) {
            order.append(order.length() == 0 ? "" : ", ")
                    .append("e.")
                    .append(clause.key())
                    .append(clause.ascending() ? "" : " DESC");
            id |= clause.key().equals("experiment_id");
        }
        if (clauses.isEmpty()) {
            order.append("e.creation_time DESC");
        }
        if (!id) {
            order.append(", e.experiment_id");
        }
        return order.toString();
    }
}
