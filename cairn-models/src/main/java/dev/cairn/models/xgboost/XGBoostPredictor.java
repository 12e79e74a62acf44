package dev.cairn.models.xgboost;

import dev.cairn.core.CairnException;
import dev.cairn.core.ErrorCode;
import dev.cairn.models.Flavors;
import dev.cairn.models.Predictor;
import dev.cairn.models.Signature;
import dev.cairn.models.Tensor;
import dev.cairn.models.TensorSpec;
import java.util.List;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.XGBoostError;

/** Predicts with XGBoost's in-place prediction, which needs no DMatrix per call and is thread-safe. */
final class XGBoostPredictor implements Predictor {
    private final Booster booster;
    private final Signature signature;
    private final int features;
    private final TensorSpec output;

    XGBoostPredictor(Booster booster, Signature signature, int features) {
        this.booster = booster;
        this.signature = signature;
        this.features = features;
        this.output = signature.outputs().get(0);
    }

    @Override
    public List<Tensor> predict(List<Tensor> inputs) {
        float[] matrix = Flavors.featureMatrix(signature, inputs, features);
        int rows = matrix.length / features;
        float[][] predictions;
        try {
            predictions = booster.inplace_predict(matrix, rows, features, Float.NaN);
        } catch (XGBoostError e) {
            throw new CairnException(ErrorCode.INTERNAL_ERROR, "XGBoost prediction failed: " + e.getMessage(), e);
        }
        int width = rows == 0 ? 1 : predictions[0].length;
        float[] flat = new float[rows * width];
        for (int r = 0; r < rows; r++) {
            System.arraycopy(predictions[r], 0, flat, r * width, width);
        }
        long[] shape = output.shape().size() == 1 ? new long[] {rows} : new long[] {rows, width};
        return List.of(Tensor.ofFloats(output.name(), flat, shape));
    }

    /** A call costs tens of microseconds whatever its size, and concurrent calls scale poorly. */
    @Override
    public boolean gainsFromBatching() {
        return true;
    }

    @Override
    public void close() {
        booster.dispose();
    }
}
