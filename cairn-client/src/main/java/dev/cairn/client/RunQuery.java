package dev.cairn.client;

import java.util.ArrayList;
import java.util.List;

/**
 * A run search in MLflow's terms.
 *
 * @param experimentIds experiments to search; empty means every experiment the view type shows
 * @param filter MLflow filter, e.g. {@code metrics.acc > 0.9 and params.model = 'tree'}; empty for all
 * @param orderBy clauses such as {@code metrics.acc DESC} or {@code attributes.start_time}
 * @param maxResults upper bound on the runs returned, pages are followed up to it
 */
public record RunQuery(
        List<String> experimentIds, String filter, List<String> orderBy, int maxResults, ViewType viewType) {
    public RunQuery {
        experimentIds = List.copyOf(experimentIds);
        orderBy = List.copyOf(orderBy);
        if (filter == null) {
            throw CairnClientException.invalid("filter must not be null; use \"\" to match every run");
        }
        if (maxResults < 1) {
            throw CairnClientException.invalid("maxResults must be at least 1, was " + maxResults);
        }
        if (viewType == null) {
            throw CairnClientException.invalid("viewType must not be null");
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Builds a {@link RunQuery}: all active runs of all experiments, 1000 at most, by default. */
    public static final class Builder {
        private final List<String> experimentIds = new ArrayList<>();
        private final List<String> orderBy = new ArrayList<>();
        private String filter = "";
        private int maxResults = 1000;
        private ViewType viewType = ViewType.ACTIVE_ONLY;

        private Builder() {}

        public Builder experimentIds(List<String> ids) {
            experimentIds.addAll(ids);
            return this;
        }

        public Builder experimentId(String id) {
            experimentIds.add(id);
            return this;
        }

        public Builder filter(String value) {
            this.filter = value;
            return this;
        }

        public Builder orderBy(List<String> clauses) {
            orderBy.addAll(clauses);
            return this;
        }

        /** Adds order-by clauses written as one string, e.g. {@code "metrics.acc DESC, attributes.start_time"}. */
        public Builder orderBy(String clauses) {
            orderBy.addAll(splitOrderBy(clauses));
            return this;
        }

        public Builder maxResults(int value) {
            this.maxResults = value;
            return this;
        }

        public Builder viewType(ViewType value) {
            this.viewType = value;
            return this;
        }

        public RunQuery build() {
            return new RunQuery(experimentIds, filter, orderBy, maxResults, viewType);
        }
    }

    /** Splits comma-separated order-by clauses, leaving commas inside quotes or backticks alone. */
    private static List<String> splitOrderBy(String orderBy) {
        List<String> clauses = new ArrayList<>();
        StringBuilder clause = new StringBuilder();
        char quote = 0;
        for (char c : orderBy.toCharArray()) {
            if (quote != 0) {
                quote = c == quote ? 0 : quote;
            } else if (c == '"' || c == '\'' || c == '`') {
                quote = c;
            } else if (c == ',') {
                addClause(clauses, clause);
                continue;
            }
            clause.append(c);
        }
        addClause(clauses, clause);
        return clauses;
    }

    private static void addClause(List<String> clauses, StringBuilder clause) {
        String text = clause.toString().strip();
        if (!text.isEmpty()) {
            clauses.add(text);
        }
        clause.setLength(0);
    }
}
