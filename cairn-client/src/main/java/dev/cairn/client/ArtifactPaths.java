package dev.cairn.client;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Maps a run's {@code mlflow-artifacts:} URI and relative artifact paths to proxy endpoint paths. */
final class ArtifactPaths {
    static final String PROXY = "/api/2.0/mlflow-artifacts/artifacts/";

    private ArtifactPaths() {}

    /**
     * The endpoint path of {@code relativePath} under a run's artifact root; the root is
     * {@code mlflow-artifacts:/<exp>/<run>/artifacts} or {@code mlflow-artifacts://host:port/<exp>/...}.
     */
    static String endpoint(String artifactUri, String relativePath) {
        URI uri;
        try {
            uri = URI.create(artifactUri);
        } catch (IllegalArgumentException e) {
            throw unsupported(artifactUri);
        }
        if (!"mlflow-artifacts".equals(uri.getScheme()) || uri.getPath() == null) {
            throw unsupported(artifactUri);
        }
        List<String> segments = new ArrayList<>(segments(uri.getPath()));
        segments.addAll(segments(relativePath));
        StringBuilder path = new StringBuilder(PROXY);
        for (int i = 0; i < segments.size(); i++) {
            if (i > 0) {
                path.append('/');
            }
            path.append(
                    URLEncoder.encode(segments.get(i), StandardCharsets.UTF_8).replace("+", "%20"));
        }
        return path.toString();
    }

    /** Checks a user-supplied relative artifact path and returns it without leading or trailing slashes. */
    static String relative(String path) {
        String trimmed = path.strip();
        if (trimmed.startsWith("/") || trimmed.contains("\\")) {
            throw CairnClientException.invalid(
                    "artifact path '" + path + "' must be relative and use '/' as separator");
        }
        for (String segment : segments(trimmed)) {
            if (segment.equals("..") || segment.equals(".")) {
                throw CairnClientException.invalid("artifact path '" + path + "' must not contain '.' or '..'");
            }
        }
        return String.join("/", segments(trimmed));
    }

    /** Joins relative paths, skipping empty ones. */
    static String join(String first, String second) {
        if (first.isEmpty()) {
            return second;
        }
        return second.isEmpty() ? first : first + "/" + second;
    }

    private static List<String> segments(String path) {
        List<String> segments = new ArrayList<>();
        for (String segment : path.split("/")) {
            if (!segment.isEmpty()) {
                segments.add(segment);
            }
        }
        return segments;
    }

    private static CairnClientException unsupported(String artifactUri) {
        return CairnClientException.invalid("artifact URI '" + artifactUri
                + "' is not served through the artifact proxy (expected mlflow-artifacts:/...)");
    }
}
