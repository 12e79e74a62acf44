package dev.cairn.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cairn.datasets.DatasetVersion;
import dev.cairn.datasets.DatasetVersions;
import dev.cairn.lineage.LineageStore;
import dev.cairn.pipelines.builtin.BuiltinContext;
import dev.cairn.registry.RegistryStore;
import dev.cairn.tracking.Param;
import dev.cairn.tracking.Tag;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** What the demo's pipeline steps share: the registry, lineage, dataset versions and the server's REST API. */
record StepParts(RegistryStore registry, LineageStore lineage, DatasetVersions datasets, Rest rest) {
    static final ObjectMapper JSON = new ObjectMapper();

    /** The one table of a checked-out dataset version directory. */
    static Path table(Path directory) {
        if (Files.isRegularFile(directory)) {
            return directory;
        }
        try (Stream<Path> files = Files.list(directory)) {
            return files.filter(f -> f.getFileName().toString().matches(".*\\.(csv|parquet)"))
                    .findFirst()
                    .orElseThrow(() -> new IllegalStateException("no CSV or Parquet table in " + directory));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The dataset version checked out in {@code directory} (the pipelines keep one per version, under its name and id). */
    DatasetVersion datasetOf(Path directory) {
        String id = directory.getFileName().toString();
        String name = directory.getParent().getFileName().toString();
        return datasets.resolve(name + ":" + id);
    }

    static void log(BuiltinContext context, Map<String, String> params, Map<String, String> tags) {
        context.tracking()
                .logBatch(
                        context.trackingRunId(),
                        List.of(),
                        params.entrySet().stream()
                                .map(e -> new Param(e.getKey(), e.getValue()))
                                .toList(),
                        tags.entrySet().stream()
                                .map(e -> new Tag(e.getKey(), e.getValue()))
                                .toList());
    }

    static JsonNode read(Path file) {
        try {
            return JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void write(Path file, Object value) {
        try {
            Files.createDirectories(file.getParent());
            JSON.writerWithDefaultPrettyPrinter().writeValue(file.toFile(), value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static ObjectNode object() {
        return JSON.createObjectNode();
    }
}
