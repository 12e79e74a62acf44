package dev.cairn.datasets;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cairn.core.CairnException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The content of a dataset version: its files sorted by path. Its canonical JSON is stored as a
 * blob, and that blob's SHA-256 is the version id, so equal content always gets the same id.
 */
public record Manifest(List<ManifestEntry> files) {
    /** The version of the canonical JSON layout. */
    public static final String FORMAT = "cairn-manifest/1";

    private static final ObjectMapper JSON = new ObjectMapper();

    public Manifest {
        List<ManifestEntry> sorted = new ArrayList<>(files);
        sorted.sort(Comparator.comparing(ManifestEntry::path));
        Set<String> seen = new HashSet<>();
        for (ManifestEntry entry : sorted) {
            CairnException.requireArgument(seen.add(entry.path()), "manifest lists '" + entry.path() + "' twice");
        }
        files = List.copyOf(sorted);
    }

    public long totalBytes() {
        return files.stream().mapToLong(ManifestEntry::size).sum();
    }

    /** The files by path, in path order. */
    public Map<String, ManifestEntry> byPath() {
        Map<String, ManifestEntry> map = new LinkedHashMap<>();
        files.forEach(f -> map.put(f.path(), f));
        return map;
    }

    /** The canonical form: fixed field order, files sorted by path, no whitespace. */
    public byte[] toCanonicalJson() {
        ObjectNode root = JSON.createObjectNode();
        root.put("format", FORMAT);
        ArrayNode array = root.putArray("files");
        for (ManifestEntry f : files) {
            array.addObject().put("path", f.path()).put("sha256", f.sha256()).put("size", f.size());
        }
        try {
            return JSON.writeValueAsString(root).getBytes(StandardCharsets.UTF_8);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree always serializes", e);
        }
    }

    public static Manifest fromJson(byte[] json) {
        try {
            JsonNode root = JSON.readTree(json);
            CairnException.requireArgument(
                    FORMAT.equals(root.path("format").asText()),
                    "manifest format must be " + FORMAT + "; got '"
                            + root.path("format").asText() + "'");
            List<ManifestEntry> files = new ArrayList<>();
            for (JsonNode f : root.path("files")) {
                files.add(new ManifestEntry(
                        f.path("path").asText(),
                        f.path("sha256").asText(),
                        f.path("size").asLong(-1)));
            }
            return new Manifest(files);
        } catch (java.io.IOException e) {
            throw CairnException.invalid("manifest is not valid JSON: " + e.getMessage());
        }
    }
}
