package dev.cairn.tracking;

import dev.cairn.store.Dialect;
import java.util.List;
import java.util.Map;

/**
 * Compiles a run search into one SQL statement: each filter or order-by key on metrics, params or
 * tags is one join on its table's primary key (run, key), so every run appears at most once.
 *
 * <p>On SQLite, a search of one experiment and one stage in the default order (newest first) is
 * driven from the {@code runs_experiment_start} index: the filter joins are written as
 * {@code CROSS JOIN}, which SQLite never reorders, so runs are visited in page order and the scan
 * stops once the page is full, instead of collecting and sorting every matching run. The cost is
 * bounded by the runs of the experiment even when a filter matches few of them.
 */
final class RunSearchQuery {
    private static final Map<String, String> COLUMNS = Map.of(
            "run_id", "r.run_uuid",
            "run_name", "r.name",
            "status", "r.status",
            "user_id", "r.user_id",
            "artifact_uri", "r.artifact_uri",
            "lifecycle_stage", "r.lifecycle_stage",
            "experiment_id", "r.experiment_id",
            "start_time", "r.start_time",
            "end_time", "r.end_time");

    private final Dialect dialect;
    private final BoundSql joins = new BoundSql();
    private final BoundSql where = new BoundSql();
    private final StringBuilder order = new StringBuilder();
    private final boolean runsFirst;
    private int aliases;

    private RunSearchQuery(Dialect dialect, boolean runsFirst) {
        this.dialect = dialect;
        this.runsFirst = runsFirst;
    }

    /** The page's runs (one more than {@code limit}, to tell whether another page follows). */
    static BoundSql compile(
            Dialect dialect,
            List<Long> experimentIds,
            ViewType viewType,
            List<SearchFilter.Comparison> filter,
            List<SearchFilter.OrderBy> orderBy,
            int offset,
            int limit) {
        List<String> stages = stages(viewType);
        RunSearchQuery q = new RunSearchQuery(
                dialect,
                dialect == Dialect.SQLITE && experimentIds.size() == 1 && stages.size() == 1 && newestFirst(orderBy));
        q.where.append(" WHERE r.experiment_id IN ").appendList(experimentIds);
        q.where.append(" AND r.lifecycle_stage IN ").appendList(stages);
        filter.forEach(q::filter);
        q.orderBy(orderBy);
        return new BoundSql()
                .append("SELECT " + RunLoader.RUN_COLUMNS + " FROM runs r")
                .append(q.joins)
                .append(q.where)
                .append(" ORDER BY " + q.order)
                .append(" LIMIT ? OFFSET ?", limit + 1, offset);
    }

    /** Whether the order is the one of the {@code runs_experiment_start} index: start time descending, then run id. */
    private static boolean newestFirst(List<SearchFilter.OrderBy> orderBy) {
        if (orderBy.isEmpty()) {
            return true;
        }
        SearchFilter.OrderBy first = orderBy.get(0);
        boolean startTimeDesc = first.entity() == SearchFilter.Entity.ATTRIBUTE
                && first.key().equals("start_time")
                && !first.ascending();
        if (orderBy.size() == 1) {
            return startTimeDesc;
        }
        SearchFilter.OrderBy second = orderBy.get(1);
        return startTimeDesc
                && orderBy.size() == 2
                && second.entity() == SearchFilter.Entity.ATTRIBUTE
                && second.key().equals("run_id")
                && second.ascending();
    }

    static List<String> stages(ViewType viewType) {
        return switch (viewType) {
            case ACTIVE_ONLY -> List.of("active");
            case DELETED_ONLY -> List.of("deleted");
            case ALL -> List.of("active", "deleted");
        };
    }

    private void filter(SearchFilter.Comparison c) {
        switch (c.entity()) {
            case METRIC -> metricFilter(c);
            case PARAM -> keyedFilter("params", c);
            case TAG -> keyedFilter("tags", c);
            case ATTRIBUTE -> attributeFilter(c);
            case DATASET -> datasetFilter(c);
        }
    }

    private void metricFilter(SearchFilter.Comparison c) {
        String a = filterJoin("latest_metrics", c.key());
        if (c.op() == SearchFilter.Op.NE) {
            // NaN differs from every number, and is stored as 0.
            where.append(" AND (" + a + ".value != ? OR " + a + ".is_nan = TRUE)", c.number());
        } else {
            where.append(" AND " + a + ".value " + c.op().sql + " ? AND " + a + ".is_nan = FALSE", c.number());
        }
    }

    private void keyedFilter(String table, SearchFilter.Comparison c) {
        String a = filterJoin(table, c.key());
        where.append(" AND ");
        stringPredicate(where, dialect, a + ".value", c);
    }

    /** Joins the row of {@code key} in a (run, key) table, which the run must have; returns its alias. */
    private String filterJoin(String table, String key) {
        String a = alias();
        if (runsFirst) {
            // The join condition moves to WHERE, in the same place in the argument order.
            joins.append(" CROSS JOIN " + table + " " + a);
            where.append(" AND " + a + ".run_uuid = r.run_uuid AND " + a + ".key = ?", key);
        } else {
            joins.append(" JOIN " + table + " " + a + " ON " + a + ".run_uuid = r.run_uuid AND " + a + ".key = ?", key);
        }
        return a;
    }

    private void attributeFilter(SearchFilter.Comparison c) {
        String column = COLUMNS.get(c.key());
        if (SearchFilter.RUN_NUMERIC_ATTRIBUTES.contains(c.key())) {
            where.append(" AND " + column + " " + c.op().sql + " ?", c.number());
            return;
        }
        where.append(" AND ");
        stringPredicate(where, dialect, c.key().equals("experiment_id") ? "CAST(" + column + " AS TEXT)" : column, c);
    }

    private void datasetFilter(SearchFilter.Comparison c) {
        if (c.key().equals("context")) {
            where.append(
                    " AND EXISTS (SELECT 1 FROM run_input_tags it WHERE it.run_uuid = r.run_uuid AND it.key = ?"
                            + " AND ",
                    RunLogWriter.DATASET_CONTEXT_TAG);
            stringPredicate(where, dialect, "it.value", c);
        } else {
            where.append(" AND EXISTS (SELECT 1 FROM run_inputs ri JOIN input_datasets ds"
                    + " ON ds.dataset_uuid = ri.dataset_uuid WHERE ri.run_uuid = r.run_uuid AND ");
            stringPredicate(where, dialect, "ds." + c.key(), c);
        }
        where.append(")");
    }

    /** {@code column op ?} for the string operators: = != LIKE ILIKE IN NOT IN. */
    static void stringPredicate(BoundSql sql, Dialect dialect, String column, SearchFilter.Comparison c) {
        switch (c.op()) {
            case LIKE -> sql.append(column + " LIKE ?", c.text());
            case ILIKE -> sql.append(dialect.ilike(column, "?"), c.text());
            case IN -> sql.append(column + " IN ").appendList(c.list());
            case NOT_IN -> sql.append(column + " NOT IN ").appendList(c.list());
            default -> sql.append(column + " " + c.op().sql + " ?", c.text());
        }
    }

    private void orderBy(List<SearchFilter.OrderBy> clauses) {
        boolean startTime = false;
        boolean runId = false;
        for (SearchFilter.OrderBy clause : clauses) {
            String direction = clause.ascending() ? "" : " DESC";
            switch (clause.entity()) {
                case METRIC -> {
                    String a = orderJoin("latest_metrics", clause.key());
                    // Numbers first, then NaN, then runs without the metric, in either direction.
                    orderItem("CASE WHEN " + a + ".run_uuid IS NULL THEN 2 WHEN " + a + ".is_nan = TRUE THEN 1"
                            + " ELSE 0 END, " + a + ".value" + direction);
                }
                case PARAM, TAG -> {
                    String a =
                            orderJoin(clause.entity() == SearchFilter.Entity.PARAM ? "params" : "tags", clause.key());
                    orderItem("CASE WHEN " + a + ".value IS NULL THEN 1 ELSE 0 END, " + a + ".value" + direction);
                }
                default -> {
                    String column = COLUMNS.get(clause.key());
                    startTime |= clause.key().equals("start_time");
                    runId |= clause.key().equals("run_id");
                    if (clause.key().equals("end_time")) {
                        orderItem("CASE WHEN r.end_time IS NULL THEN 1 ELSE 0 END");
                    }
                    orderItem(column + direction);
                }
            }
        }
        if (!startTime) {
            orderItem("r.start_time DESC");
        }
        if (!runId) {
            orderItem("r.run_uuid");
        }
    }

    private String orderJoin(String table, String key) {
        String a = alias();
        joins.append(
                " LEFT JOIN " + table + " " + a + " ON " + a + ".run_uuid = r.run_uuid AND " + a + ".key = ?", key);
        return a;
    }

    private void orderItem(String item) {
        order.append(order.length() == 0 ? "" : ", ").append(item);
    }

    private String alias() {
        return "j" + aliases++;
    }
}
