package dev.cairn.models.xgboost;

import dev.cairn.core.CairnException;
import dev.cairn.core.ErrorCode;
import dev.cairn.models.Flavors;
import dev.cairn.models.Predictor;
import dev.cairn.models.Signature;
import dev.cairn.models.Tensor;
import dev.cairn.models.TensorSpec;
import java.util.List;
import java.util.Optional;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.XGBoostError;

/**
 * Predicts with the trees evaluated in Java when the model is of a kind {@link XGBoostTrees} takes
 * and gives the native library's answers on probe rows, else with XGBoost's in-place prediction
 * (no DMatrix per call; thread-safe). Both are safe for concurrent use.
 */
final class XGBoostPredictor implements Predictor {
    private final Booster booster;
    private final Signature signature;
    private final int features;
    private final TensorSpec output;
    /** The Java evaluation; absent when the native library predicts. */
    private final Optional<XGBoostTrees> trees;

    XGBoostPredictor(Booster booster, Signature signature, int features, Optional<XGBoostTrees> trees) {
        this.booster = booster;
        this.signature = signature;
        this.features = features;
        this.output = signature.outputs().get(0);
        this.trees = trees;
    }

    @Override
    public List<Tensor> predict(List<Tensor> inputs) {
        float[] matrix = Flavors.featureMatrix(signature, inputs, features);
        int rows = matrix.length / features;
        int width;
        float[] flat;
        if (trees.isPresent()) {
            width = trees.get().width();
            flat = trees.get().predict(matrix, rows);
        } else {
            float[][] predictions = nativePredict(booster, matrix, rows, features);
            width = rows == 0 ? 1 : predictions[0].length;
            flat = flatten(predictions, rows, width);
        }
        long[] shape = output.shape().size() == 1 ? new long[] {rows} : new long[] {rows, width};
        return List.of(Tensor.ofFloats(output.name(), flat, shape));
    }

    static float[][] nativePredict(Booster booster, float[] matrix, int rows, int features) {
        try {
            return booster.inplace_predict(matrix, rows, features, Float.NaN);
        } catch (XGBoostError e) {
            throw new CairnException(ErrorCode.INTERNAL_ERROR, "XGBoost prediction failed: " + e.getMessage(), e);
        }
    }

    static float[] flatten(float[][] predictions, int rows, int width) {
        float[] flat = new float[rows * width];
        for (int r = 0; r < rows; r++) {
            System.arraycopy(predictions[r], 0, flat, r * width, width);
        }
        return flat;
    }

    /** Whether the trees are evaluated in Java (for tests and diagnostics). */
    boolean evaluatesInJava() {
        return trees.isPresent();
    }

    @Override
    public void close() {
        booster.dispose();
    }
}
