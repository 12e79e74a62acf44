package dev.cairn.registry;

import dev.cairn.tracking.Tag;
import java.util.List;

/**
 * A request to register a version of model {@code name} from {@code source} ({@code runs:/},
 * {@code mlflow-artifacts:/} or {@code models:/}); {@code runId}, {@code runLink} and
 * {@code description} are empty when not given.
 */
public record NewModelVersion(
        String name, String source, String runId, String runLink, String description, List<Tag> tags) {
    public NewModelVersion {
        tags = List.copyOf(tags);
    }

    /** A version from {@code source} with nothing else given. */
    public static NewModelVersion of(String name, String source) {
        return new NewModelVersion(name, source, "", "", "", List.of());
    }
}
