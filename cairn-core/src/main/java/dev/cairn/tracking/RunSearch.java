package dev.cairn.tracking;

import java.util.List;
import java.util.Optional;

/**
 * A search over runs in MLflow's grammar: {@code filter} as in {@code metrics.acc > 0.9 and
 * params.lr = '0.1'}, {@code orderBy} entries as in {@code metrics.acc DESC}.
 */
public record RunSearch(
        List<String> experimentIds,
        String filter,
        ViewType viewType,
        int maxResults,
        List<String> orderBy,
        Optional<String> pageToken) {
    public static final int DEFAULT_MAX_RESULTS = 1000;
    public static final int MAX_RESULTS_LIMIT = 50_000;

    public RunSearch {
        experimentIds = List.copyOf(experimentIds);
        orderBy = List.copyOf(orderBy);
    }
}
