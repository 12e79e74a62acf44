package dev.cairn.client;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * An experiment as the server reports it.
 *
 * @param lifecycleStage {@code active} or {@code deleted}
 * @param creationTime milliseconds since the epoch
 * @param lastUpdateTime milliseconds since the epoch
 */
public record ExperimentInfo(
        String experimentId,
        String name,
        String artifactLocation,
        String lifecycleStage,
        long creationTime,
        long lastUpdateTime,
        Map<String, String> tags) {
    public ExperimentInfo {
        tags = Collections.unmodifiableSortedMap(new TreeMap<>(tags));
    }

    public boolean isActive() {
        return "active".equals(lifecycleStage);
    }
}
