package dev.cairn.artifacts;

import dev.cairn.core.CairnException;
import java.util.regex.Pattern;

/**
 * A server-generated location that owns an artifact tree, such as a run's
 * {@code <experiment_id>/<run_id>/artifacts}. Clients name files inside a root, never the root itself.
 */
public record ArtifactRoot(ArtifactPath path) {
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");

    public ArtifactRoot {
        CairnException.requireArgument(!path.isRoot(), "an artifact root must not be empty");
    }

    /** The root of a run's artifacts, {@code <experiment_id>/<run_id>/artifacts}. */
    public static ArtifactRoot ofRun(String experimentId, String runId) {
        requireId("experiment_id", experimentId);
        requireId("run_id", runId);
        return new ArtifactRoot(ArtifactPath.of(experimentId + "/" + runId + "/artifacts"));
    }

    /** The root as a string, e.g. {@code 1/0123abcd.../artifacts}. */
    public String value() {
        return path.value();
    }

    @Override
    public String toString() {
        return value();
    }

    private static void requireId(String field, String id) {
        CairnException.requireArgument(
                id != null && ID.matcher(id).matches(), "Invalid value '" + id + "' for parameter '" + field + "'");
    }
}
