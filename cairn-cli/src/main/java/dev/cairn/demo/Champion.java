package dev.cairn.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** The model version serving under the {@code champion} alias, reloaded to score a holdout. */
record Champion(String version, DelayModel model, Path packageDirectory) {
    private static final ObjectMapper JSON = new ObjectMapper();

    double auc(List<Flights.Flight> holdout) {
        return DelayModel.auc(model.predict(holdout), Flights.Encoder.labels(holdout));
    }

    /** Where the demo keeps the package and encoder of the model trained by run {@code runId}. */
    static Path directory(Path work, String runId) {
        return work.resolve("models").resolve(runId);
    }

    static void saveEncoder(Path directory, Flights.Encoder encoder) {
        try {
            JSON.writerWithDefaultPrettyPrinter()
                    .writeValue(directory.resolve("features.json").toFile(), encoder);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The champion of run {@code runId} when its package and encoder are still in {@code work}. */
    static Optional<Champion> load(Path work, String runId, String version) {
        Path directory = directory(work, runId);
        Path features = directory.resolve("features.json");
        Path manifest = directory.resolve("package").resolve("cairn-model.json");
        if (!Files.exists(features) || !Files.exists(manifest)) {
            return Optional.empty();
        }
        try {
            Flights.Encoder encoder = JSON.readValue(features.toFile(), Flights.Encoder.class);
            JsonNode options = JSON.readTree(manifest.toFile()).path("flavor_options");
            Path model = directory
                    .resolve("package")
                    .resolve(options.path("model_file").asText());
            return Optional.of(new Champion(version, DelayModel.load(model, encoder), directory.resolve("package")));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
