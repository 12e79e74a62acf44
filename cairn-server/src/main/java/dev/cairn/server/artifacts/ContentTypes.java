package dev.cairn.server.artifacts;

import java.util.Locale;
import java.util.Map;

/** The content type of a downloaded artifact, guessed from its name as MLflow does. */
final class ContentTypes {
    static final String DEFAULT = "application/octet-stream";

    private static final Map<String, String> BY_EXTENSION = Map.ofEntries(
            Map.entry("txt", "text/plain"),
            Map.entry("log", "text/plain"),
            Map.entry("py", "text/plain"),
            Map.entry("yaml", "text/plain"),
            Map.entry("yml", "text/plain"),
            Map.entry("mlmodel", "text/plain"),
            Map.entry("mlproject", "text/plain"),
            Map.entry("md", "text/markdown"),
            Map.entry("csv", "text/csv"),
            Map.entry("tsv", "text/tab-separated-values"),
            Map.entry("json", "application/json"),
            Map.entry("html", "text/html"),
            Map.entry("htm", "text/html"),
            Map.entry("png", "image/png"),
            Map.entry("jpg", "image/jpeg"),
            Map.entry("jpeg", "image/jpeg"),
            Map.entry("gif", "image/gif"),
            Map.entry("svg", "image/svg+xml"),
            Map.entry("pdf", "application/pdf"),
            Map.entry("geojson", "application/geo+json"),
            Map.entry("parquet", DEFAULT),
            Map.entry("onnx", DEFAULT),
            Map.entry("pkl", DEFAULT));

    private ContentTypes() {}

    /** By extension, and for extension-less names like {@code MLmodel} by the whole name. */
    static String of(String fileName) {
        int dot = fileName.lastIndexOf('.');
        String key = (dot > 0 ? fileName.substring(dot + 1) : fileName).toLowerCase(Locale.ROOT);
        return BY_EXTENSION.getOrDefault(key, DEFAULT);
    }
}
