package dev.cairn.models.xgboost;

import dev.cairn.core.CairnException;
import dev.cairn.core.ErrorCode;
import dev.cairn.models.Flavors;
import dev.cairn.models.ModelManifest;
import dev.cairn.models.ModelPackage;
import dev.cairn.models.ModelSpec;
import dev.cairn.models.Predictor;
import dev.cairn.models.PredictorFactory;
import dev.cairn.models.Signature;
import dev.cairn.models.TensorSpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.XGBoost;
import ml.dmlc.xgboost4j.java.XGBoostError;

/**
 * The XGBoost flavor: a booster saved in XGBoost's UBJSON format ({@code model.ubj}), whose inputs
 * are one {@code [n, features]} matrix or one column per feature, and whose one output is the
 * prediction ({@code [n]}, or {@code [n, classes]} for multi-class models).
 */
public final class XGBoostFlavor implements PredictorFactory {
    public static final String NAME = "xgboost";
    static final String MODEL_FILE = "model.ubj";

    @Override
    public String flavor() {
        return NAME;
    }

    /** Writes {@code booster}, whose inputs and output {@code signature} describes, as a model package in {@code directory} (created when absent). */
    public static ModelManifest save(Booster booster, Signature signature, Path directory, ModelSpec spec) {
        CairnException.requireArgument(
                signature.outputs().size() == 1,
                "xgboost signature: exactly one output, got "
                        + signature.outputs().size());
        try {
            Files.createDirectories(directory);
            booster.saveModel(directory.resolve(MODEL_FILE).toString());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + directory, e);
        } catch (XGBoostError e) {
            throw new CairnException(ErrorCode.INTERNAL_ERROR, "XGBoost cannot save the model: " + e.getMessage(), e);
        }
        var requirement = Flavors.requirement("ml.dmlc", "xgboost4j_2.12");
        return ModelPackage.seal(
                directory,
                NAME,
                Map.of("model_file", MODEL_FILE, "features", Integer.toString(width(signature))),
                Map.of(requirement.getKey(), requirement.getValue()),
                signature,
                spec);
    }

    @Override
    public Predictor load(Path directory, ModelManifest manifest) {
        Path file = directory.resolve(manifest.flavorOption("model_file"));
        int features = Integer.parseInt(manifest.flavorOption("features"));
        try {
            Booster booster = XGBoost.loadModel(file.toString());
            // One thread per call: requests run in parallel, and OpenMP start-up dominates a small batch.
            booster.setParam("nthread", 1);
            return new XGBoostPredictor(booster, manifest.signature(), features);
        } catch (XGBoostError e) {
            throw Flavors.loadFailure(file.toString(), e);
        }
    }

    private static int width(Signature signature) {
        var inputs = signature.inputs();
        if (inputs.size() == 1) {
            TensorSpec only = inputs.get(0);
            CairnException.requireArgument(
                    only.shape().size() == 2 && only.shape().get(1) > 0,
                    "xgboost signature: input '" + only.name() + "' must have shape [-1, features], got "
                            + only.shape());
            return (int) (long) only.shape().get(1);
        }
        for (TensorSpec column : inputs) {
            CairnException.requireArgument(
                    column.shape().size() == 1 && column.datatype().isNumeric(),
                    "xgboost signature: column input '" + column.name() + "' must be numeric with shape [-1]");
        }
        return inputs.size();
    }
}
