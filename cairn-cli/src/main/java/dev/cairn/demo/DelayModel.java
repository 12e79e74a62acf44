package dev.cairn.demo;

import dev.cairn.models.DataType;
import dev.cairn.models.ModelManifest;
import dev.cairn.models.ModelSpec;
import dev.cairn.models.Signature;
import dev.cairn.models.TensorSpec;
import dev.cairn.models.xgboost.XGBoostFlavor;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.DMatrix;
import ml.dmlc.xgboost4j.java.XGBoost;
import ml.dmlc.xgboost4j.java.XGBoostError;

/** A trained flight-delay classifier with the encoder its features need. */
final class DelayModel implements AutoCloseable {
    // shallow, regularized trees: a few thousand flights overfit deeper ones
    static final Map<String, Object> PARAMS = Map.of(
            "objective", "binary:logistic",
            "max_depth", 2,
            "eta", 0.1,
            "min_child_weight", 20,
            "seed", 42,
            "nthread", 1);
    static final int ROUNDS = 100;

    private final Booster booster;
    private final Flights.Encoder encoder;

    private DelayModel(Booster booster, Flights.Encoder encoder) {
        this.booster = booster;
        this.encoder = encoder;
    }

    static DelayModel train(List<Flights.Flight> training) {
        Flights.Encoder encoder = Flights.Encoder.learn(training);
        try {
            DMatrix matrix = matrix(encoder.features(training), training.size());
            matrix.setLabel(Flights.Encoder.labels(training));
            Booster booster = XGBoost.train(matrix, new HashMap<>(PARAMS), ROUNDS, Map.of(), null, null);
            matrix.dispose();
            return new DelayModel(booster, encoder);
        } catch (XGBoostError e) {
            throw new IllegalStateException("XGBoost training failed: " + e.getMessage(), e);
        }
    }

    static DelayModel load(Path modelFile, Flights.Encoder encoder) {
        try {
            return new DelayModel(XGBoost.loadModel(modelFile.toString()), encoder);
        } catch (XGBoostError e) {
            throw new IllegalStateException("cannot load " + modelFile + ": " + e.getMessage(), e);
        }
    }

    Flights.Encoder encoder() {
        return encoder;
    }

    /** The probability of a delay for each flight, computed in-process. */
    float[] predict(List<Flights.Flight> flights) {
        try {
            DMatrix matrix = matrix(encoder.features(flights), flights.size());
            float[][] out = booster.predict(matrix);
            matrix.dispose();
            float[] p = new float[out.length];
            for (int i = 0; i < out.length; i++) {
                p[i] = out[i][0];
            }
            return p;
        } catch (XGBoostError e) {
            throw new IllegalStateException("XGBoost prediction failed: " + e.getMessage(), e);
        }
    }

    ModelManifest save(Path directory) {
        List<TensorSpec> inputs = new ArrayList<>();
        for (String feature : Flights.Encoder.FEATURES) {
            inputs.add(TensorSpec.of(feature, DataType.FP32, -1));
        }
        Signature signature = new Signature(inputs, List.of(TensorSpec.of("probability", DataType.FP32, -1)));
        return XGBoostFlavor.save(booster, signature, directory, ModelSpec.empty());
    }

    /** Area under the ROC curve by ranks (ties get their average rank). */
    static double auc(float[] scores, float[] labels) {
        Integer[] order = new Integer[scores.length];
        Arrays.setAll(order, i -> i);
        Arrays.sort(order, (a, b) -> Float.compare(scores[a], scores[b]));
        double positives = 0;
        double rankSum = 0;
        int i = 0;
        while (i < order.length) {
            int j = i;
            while (j + 1 < order.length && scores[order[j + 1]] == scores[order[i]]) {
                j++;
            }
            double rank = (i + j) / 2.0 + 1;
            for (int k = i; k <= j; k++) {
                if (labels[order[k]] > 0.5f) {
                    positives++;
                    rankSum += rank;
                }
            }
            i = j + 1;
        }
        double negatives = scores.length - positives;
        if (positives == 0 || negatives == 0) {
            return 0.5;
        }
        return (rankSum - positives * (positives + 1) / 2) / (positives * negatives);
    }

    static double accuracy(float[] scores, float[] labels) {
        int right = 0;
        for (int i = 0; i < scores.length; i++) {
            right += (scores[i] > 0.5f) == (labels[i] > 0.5f) ? 1 : 0;
        }
        return scores.length == 0 ? 0 : right / (double) scores.length;
    }

    private static DMatrix matrix(float[] features, int rows) throws XGBoostError {
        return new DMatrix(features, rows, Flights.Encoder.FEATURES.length, Float.NaN);
    }

    @Override
    public void close() {
        booster.dispose();
    }
}
