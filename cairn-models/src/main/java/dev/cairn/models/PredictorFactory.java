package dev.cairn.models;

import java.nio.file.Path;

/**
 * Loads the packages of one flavor; implementations are found with {@link java.util.ServiceLoader}
 * through {@code META-INF/services/dev.cairn.models.PredictorFactory}.
 */
public interface PredictorFactory {

    /** The flavor name written in {@code cairn-model.json}, e.g. {@code xgboost}. */
    String flavor();

    /** A predictor for the verified package in {@code directory}. */
    Predictor load(Path directory, ModelManifest manifest);
}
