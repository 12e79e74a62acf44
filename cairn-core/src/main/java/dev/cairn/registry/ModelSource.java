package dev.cairn.registry;

import dev.cairn.artifacts.ArtifactPath;
import dev.cairn.artifacts.ArtifactRoot;
import dev.cairn.core.CairnException;
import dev.cairn.core.ErrorCode;
import dev.cairn.tracking.RunInfo;
import dev.cairn.tracking.TrackingStore;
import java.util.List;

/**
 * A model version's source, confined to artifacts the server itself stored. MLflow accepted any
 * location and later served it back (CVE-2023-1177: {@code file:} and absolute sources read the
 * server's disk; CVE-2024-1558 and CVE-2025-11201: traversal in a source escaped the artifact
 * root). Here a source is accepted only as {@code runs:/<run>/<path>},
 * {@code mlflow-artifacts:/<experiment>/<run>/artifacts/<path>} or {@code models:/<name>/<version>}
 * naming a run this server tracks, with the path checked by {@link ArtifactPath}.
 *
 * @param runId the run whose artifact tree holds the model
 * @param path the model's path inside that tree (the root when empty)
 * @param storageLocation the canonical {@code mlflow-artifacts:/} URI of the model's directory
 */
record ModelSource(String runId, ArtifactPath path, String storageLocation) {
    static final String RUNS = "runs:/";
    static final String ARTIFACTS = "mlflow-artifacts:/";
    static final String MODELS = "models:/";

    /** Looks up a registered version named by a {@code models:/} source. */
    @FunctionalInterface
    interface VersionLookup {
        ModelVersion find(String name, String versionOrAlias, boolean alias);
    }

    static ModelSource resolve(String source, TrackingStore tracking, VersionLookup versions) {
        CairnException.requireArgument(
                source != null && !source.isBlank(), "Missing value for required parameter 'source'");
        if (source.startsWith(RUNS) && !source.startsWith(RUNS + "/")) {
            return fromRuns(source, tracking);
        }
        if (source.startsWith(ARTIFACTS) && !source.startsWith(ARTIFACTS + "/")) {
            return fromArtifacts(source, tracking);
        }
        if (source.startsWith(MODELS) && !source.startsWith(MODELS + "/")) {
            return fromModels(source, tracking, versions);
        }
        throw refused(
                source,
                "it must be a runs:/<run_id>/<path>, mlflow-artifacts:/<experiment>/<run>/artifacts/"
                        + "<path> or models:/<name>/<version> URI of an artifact this server stored");
    }

    private static ModelSource fromRuns(String source, TrackingStore tracking) {
        ArtifactPath rest = path(source, source.substring(RUNS.length()));
        CairnException.requireArgument(!rest.isRoot(), "Invalid model version source '" + source + "': no run id");
        RunInfo run = run(source, rest.segments().get(0), tracking);
        return of(run, rest.subpath(1, rest.segments().size()));
    }

    private static ModelSource fromArtifacts(String source, TrackingStore tracking) {
        ArtifactPath rest = path(source, source.substring(ARTIFACTS.length()));
        List<String> segments = rest.segments();
        if (segments.size() < 3 || !segments.get(2).equals("artifacts")) {
            throw refused(source, "it is not inside a run's artifact root <experiment>/<run>/artifacts");
        }
        RunInfo run = run(source, segments.get(1), tracking);
        if (!run.experimentId().equals(segments.get(0))) {
            throw refused(source, "run " + run.runId() + " belongs to experiment " + run.experimentId());
        }
        return of(run, rest.subpath(3, segments.size()));
    }

    private static ModelSource fromModels(String source, TrackingStore tracking, VersionLookup versions) {
        String rest = source.substring(MODELS.length());
        int at = rest.indexOf('@');
        int slash = rest.lastIndexOf('/');
        boolean byAlias = at > 0 && slash < 0;
        if (!byAlias && !(slash > 0 && at < 0)) {
            throw refused(source, "it must be models:/<name>/<version> or models:/<name>@<alias>");
        }
        int split = byAlias ? at : slash;
        ModelVersion version;
        try {
            version = versions.find(rest.substring(0, split), rest.substring(split + 1), byAlias);
        } catch (CairnException e) {
            throw refused(source, e.getMessage());
        }
        return resolve(version.storageLocation(), tracking, versions);
    }

    private static ArtifactPath path(String source, String rest) {
        try {
            return ArtifactPath.of(rest);
        } catch (CairnException e) {
            throw refused(source, e.getMessage());
        }
    }

    private static RunInfo run(String source, String runId, TrackingStore tracking) {
        try {
            return tracking.getRun(runId).info();
        } catch (CairnException e) {
            if (e.code() == ErrorCode.RESOURCE_DOES_NOT_EXIST || e.code() == ErrorCode.INVALID_PARAMETER_VALUE) {
                throw refused(source, "run '" + runId + "' does not exist on this server");
            }
            throw e;
        }
    }

    private static ModelSource of(RunInfo run, ArtifactPath path) {
        ArtifactRoot root = ArtifactRoot.ofRun(run.experimentId(), run.runId());
        String location = ARTIFACTS + root.path().resolve(path).value();
        return new ModelSource(run.runId(), path, location);
    }

    private static CairnException refused(String source, String reason) {
        return CairnException.invalid("Invalid model version source '" + printable(source) + "': " + reason);
    }

    private static String printable(String source) {
        String clipped = source.length() > 300 ? source.substring(0, 300) + "..." : source;
        return clipped.replaceAll("\\p{Cntrl}", "?");
    }
}
