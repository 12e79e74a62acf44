package dev.cairn.tracking;

import java.util.List;
import java.util.Optional;

/** A search over experiments: filter on {@code name}, {@code tags.x}, {@code creation_time}, {@code last_update_time}. */
public record ExperimentSearch(
        String filter, ViewType viewType, int maxResults, List<String> orderBy, Optional<String> pageToken) {
    public static final int DEFAULT_MAX_RESULTS = 1000;
    public static final int MAX_RESULTS_LIMIT = 50_000;

    public ExperimentSearch {
        orderBy = List.copyOf(orderBy);
    }
}
