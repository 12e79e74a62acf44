package dev.cairn.lineage;

import dev.cairn.core.CairnException;
import java.util.Locale;

/**
 * The URIs that name lineage nodes, one scheme per kind of thing: {@code cairn-dataset:/flights/3},
 * {@code runs:/<id>}, {@code runs:/<id>/artifacts/<path>}, {@code models:/<name>/<version>},
 * {@code deployments:/<name>}, {@code monitors:/<name>}, {@code requests:/<id>}.
 */
public final class LineageUri {
    /** The kind of node a URI names. */
    public enum Kind {
        DATASET,
        RUN,
        ARTIFACT,
        MODEL,
        DEPLOYMENT,
        MONITOR,
        REQUEST;

        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private static final int MAX_LENGTH = 2000;

    private LineageUri() {}

    public static String dataset(String name, int version) {
        return "cairn-dataset:/" + segment("dataset name", name) + "/" + version;
    }

    public static String run(String runId) {
        return "runs:/" + segment("run id", runId);
    }

    public static String artifact(String runId, String path) {
        CairnException.requireArgument(!path.isBlank(), "artifact path must not be blank");
        String trimmed = path.startsWith("/") ? path.substring(1) : path;
        return run(runId) + "/artifacts/" + trimmed;
    }

    public static String model(String name, int version) {
        return "models:/" + segment("model name", name) + "/" + version;
    }

    public static String deployment(String name) {
        return "deployments:/" + segment("deployment name", name);
    }

    public static String monitor(String name) {
        return "monitors:/" + segment("monitor name", name);
    }

    public static String request(String requestId) {
        return "requests:/" + segment("request id", requestId);
    }

    /** The kind of node {@code uri} names; fails with a message naming the URI when it is not a lineage URI. */
    public static Kind kindOf(String uri) {
        validate(uri);
        int colon = uri.indexOf(":/");
        String scheme = uri.substring(0, colon);
        String rest = uri.substring(colon + 2);
        return switch (scheme) {
            case "cairn-dataset" -> Kind.DATASET;
            case "runs" -> rest.contains("/artifacts/") ? Kind.ARTIFACT : Kind.RUN;
            case "models" -> Kind.MODEL;
            case "deployments" -> Kind.DEPLOYMENT;
            case "monitors" -> Kind.MONITOR;
            case "requests" -> Kind.REQUEST;
            default -> throw unknownScheme(uri);
        };
    }

    /** Checks that {@code uri} has a known scheme and a non-empty body. */
    public static void validate(String uri) {
        CairnException.requireArgument(
                uri.length() <= MAX_LENGTH, "lineage uri is longer than " + MAX_LENGTH + " characters");
        int colon = uri.indexOf(":/");
        if (colon <= 0 || colon + 2 >= uri.length()) {
            throw unknownScheme(uri);
        }
        switch (uri.substring(0, colon)) {
            case "cairn-dataset", "runs", "models", "deployments", "monitors", "requests" -> {}
            default -> throw unknownScheme(uri);
        }
    }

    private static CairnException unknownScheme(String uri) {
        return CairnException.invalid("uri '" + uri + "' is not a lineage uri (cairn-dataset:/, runs:/, models:/,"
                + " deployments:/, monitors:/ or requests:/ followed by a name)");
    }

    private static String segment(String field, String value) {
        CairnException.requireArgument(
                !value.isBlank() && !value.contains("/"),
                field + " must be non-blank and contain no '/'; got '" + value + "'");
        return value;
    }
}
