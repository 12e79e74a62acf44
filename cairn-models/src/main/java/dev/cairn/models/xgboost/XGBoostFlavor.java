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
import java.util.Optional;
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
    private static final int PROBE_ROWS = 512;

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
            return new XGBoostPredictor(booster, manifest.signature(), features, javaTrees(booster, features));
        } catch (XGBoostError e) {
            throw Flavors.loadFailure(file.toString(), e);
        }
    }

    /**
     * The trees evaluated in Java, when the model is of a kind they take and they agree with the
     * native library on probe rows that cross every threshold and miss values; otherwise empty, and
     * the native library predicts.
     */
    static Optional<XGBoostTrees> javaTrees(Booster booster, int features) throws XGBoostError {
        Optional<XGBoostTrees> parsed = XGBoostTrees.parse(booster.toByteArray("json"), features);
        if (parsed.isEmpty()) {
            return parsed;
        }
        XGBoostTrees trees = parsed.get();
        int rows = PROBE_ROWS;
        float[] probe = trees.probeRows(rows);
        float[][] expected = booster.inplace_predict(probe, rows, features, Float.NaN);
        if (expected.length != rows || expected[0].length != trees.width()) {
            return Optional.empty();
        }
        float[] mine = trees.predict(probe, rows);
        float[] theirs = XGBoostPredictor.flatten(expected, rows, trees.width());
        for (int i = 0; i < mine.length; i++) {
            // float sums in the same order; only the final exp may differ in its last bits
            if (!(Math.abs(mine[i] - theirs[i]) <= 1e-5f + 1e-5f * Math.abs(theirs[i]))) {
                return Optional.empty();
            }
        }
        return parsed;
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
