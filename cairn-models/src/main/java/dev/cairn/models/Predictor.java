package dev.cairn.models;

import java.util.List;

/**
 * A loaded model that predicts a batch: one tensor per signature input, all with the same first
 * (batch) dimension, in, and one tensor per signature output, in signature order, out. Predictors
 * are safe for concurrent use.
 */
public interface Predictor extends AutoCloseable {

    List<Tensor> predict(List<Tensor> inputs);

    /** Releases native memory held by the runtime. */
    @Override
    void close();
}
