package dev.cairn.models.xgboost;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.models.DataType;
import dev.cairn.models.FlightModels;
import dev.cairn.models.FlightsSample;
import dev.cairn.models.LoadedModel;
import dev.cairn.models.ModelSpec;
import dev.cairn.models.Models;
import dev.cairn.models.Signature;
import dev.cairn.models.Tensor;
import dev.cairn.models.TensorSpec;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.DMatrix;
import ml.dmlc.xgboost4j.java.XGBoost;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The trees evaluated in Java give XGBoost's own predictions, and models they do not take stay native. */
class XGBoostTreesTest {
    private static FlightsSample sample;

    @TempDir
    Path dir;

    @BeforeAll
    static void load() {
        sample = FlightsSample.load();
    }

    @Test
    void binaryLogisticFlightsModelIsEvaluatedInJavaWithNativePredictions() throws Exception {
        FlightModels.saveXGBoost(sample, dir.resolve("m"));
        try (LoadedModel model = Models.load(dir.resolve("m"))) {
            var predictor = (XGBoostPredictor) model.predictor();
            assertTrue(predictor.evaluatesInJava());
            int rows = sample.test.rows();
            float[] mine = (float[]) model.predict(FlightModels.columns(sample.test, rows))
                    .get(0)
                    .data();
            float[] theirs = nativePredictions(dir.resolve("m"), sample.test.features(), rows);
            assertArrayEquals(theirs, mine, 1e-6f);
        }
    }

    @Test
    void multiClassAndRegressionModelsAgreeWithTheNativeLibrary() throws Exception {
        for (String objective : List.of("multi:softprob", "reg:squarederror")) {
            Path package_ = dir.resolve(objective.replace(':', '-'));
            save(train(objective), objective, package_);
            try (LoadedModel model = Models.load(package_)) {
                var predictor = (XGBoostPredictor) model.predictor();
                assertTrue(predictor.evaluatesInJava(), objective);
                int rows = sample.test.rows();
                Tensor out = model.predict(List.of(FlightModels.matrix(sample.test, rows, "input")))
                        .get(0);
                float[] theirs = nativePredictions(package_, sample.test.features(), rows);
                assertEquals(theirs.length, ((float[]) out.data()).length, objective);
                assertArrayEquals(theirs, (float[]) out.data(), 1e-5f, objective);
            }
        }
    }

    @Test
    void anObjectiveTheJavaTreesDoNotTakeStaysWithTheNativeLibrary() throws Exception {
        Path package_ = dir.resolve("tweedie");
        save(train("reg:tweedie"), "reg:tweedie", package_);
        try (LoadedModel model = Models.load(package_)) {
            var predictor = (XGBoostPredictor) model.predictor();
            assertFalse(predictor.evaluatesInJava());
            int rows = 50;
            Tensor out = model.predict(List.of(FlightModels.matrix(sample.test, rows, "input")))
                    .get(0);
            assertArrayEquals(nativePredictions(package_, sample.test.features(), rows), (float[]) out.data(), 0f);
        }
    }

    private static float[] nativePredictions(Path package_, float[] features, int rows) throws Exception {
        Booster booster =
                XGBoost.loadModel(package_.resolve(XGBoostFlavor.MODEL_FILE).toString());
        try {
            int width = FlightsSample.FEATURES.length;
            float[][] out = booster.inplace_predict(Arrays.copyOf(features, rows * width), rows, width, Float.NaN);
            return XGBoostPredictor.flatten(out, rows, out[0].length);
        } finally {
            booster.dispose();
        }
    }

    /** Three delay classes by hour of day, or the hour itself, from the flights features. */
    private static Booster train(String objective) throws Exception {
        var train = sample.train;
        float[] labels = new float[train.rows()];
        int hour = Arrays.asList(FlightsSample.FEATURES).indexOf("hour");
        for (int r = 0; r < labels.length; r++) {
            float h = train.row(r)[hour];
            labels[r] = objective.startsWith("multi") ? (h < 0.4f ? 0 : h < 0.7f ? 1 : 2) : train.labels()[r] + h;
        }
        var matrix = new DMatrix(train.features(), train.rows(), FlightsSample.FEATURES.length, Float.NaN);
        matrix.setLabel(labels);
        Map<String, Object> params = new HashMap<>();
        params.put("objective", objective);
        params.put("max_depth", 4);
        params.put("seed", 7);
        params.put("nthread", 1);
        if (objective.startsWith("multi")) {
            params.put("num_class", 3);
        }
        return XGBoost.train(matrix, params, 20, Map.of(), null, null);
    }

    private static void save(Booster booster, String objective, Path directory) {
        int width = FlightsSample.FEATURES.length;
        var output = objective.startsWith("multi")
                ? TensorSpec.of("probabilities", DataType.FP32, -1, 3)
                : TensorSpec.of("prediction", DataType.FP32, -1);
        var signature = new Signature(List.of(TensorSpec.of("input", DataType.FP32, -1, width)), List.of(output));
        try {
            XGBoostFlavor.save(booster, signature, directory, ModelSpec.empty());
        } finally {
            booster.dispose();
        }
    }
}
