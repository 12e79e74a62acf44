package dev.cairn.registry;

import java.util.List;
import java.util.Optional;

/**
 * A search over registered models or model versions in MLflow's grammar: {@code filter} as in
 * {@code name LIKE '%flights%' AND tags.team = 'ops'}, {@code orderBy} as in {@code name DESC}.
 */
public record RegistrySearch(String filter, int maxResults, List<String> orderBy, Optional<String> pageToken) {
    public static final int MODELS_DEFAULT_MAX_RESULTS = 100;
    public static final int MODELS_MAX_RESULTS_LIMIT = 1000;
    public static final int VERSIONS_DEFAULT_MAX_RESULTS = 10_000;
    public static final int VERSIONS_MAX_RESULTS_LIMIT = 200_000;

    public RegistrySearch {
        orderBy = List.copyOf(orderBy);
    }

    /** Everything matching {@code filter}, first page of {@code maxResults}, default order. */
    public static RegistrySearch of(String filter, int maxResults) {
        return new RegistrySearch(filter, maxResults, List.of(), Optional.empty());
    }
}
