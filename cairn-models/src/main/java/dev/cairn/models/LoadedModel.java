package dev.cairn.models;

import java.nio.file.Path;
import java.util.List;

/** A model package read from disk, verified, and ready to predict. */
public record LoadedModel(Path directory, ModelManifest manifest, Predictor predictor) implements AutoCloseable {

    public List<Tensor> predict(List<Tensor> inputs) {
        return predictor.predict(inputs);
    }

    /** The input example of the manifest, decoded; empty when the package has none. */
    public List<Tensor> inputExample() {
        return TensorJson.readExample(manifest.inputExample());
    }

    @Override
    public void close() {
        predictor.close();
    }
}
