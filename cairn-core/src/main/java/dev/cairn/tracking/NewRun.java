package dev.cairn.tracking;

import java.util.List;
import java.util.Optional;

/** What a client supplies to create a run; a missing name gets a generated one. */
public record NewRun(String experimentId, String userId, long startTime, Optional<String> runName, List<Tag> tags) {
    public NewRun {
        tags = List.copyOf(tags);
    }
}
