package dev.cairn.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.cairn.core.CairnException;
import dev.cairn.models.tribuo.TribuoFlavor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.XGBoostError;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tribuo.Model;
import org.tribuo.Prediction;
import org.tribuo.classification.Label;

class ModelPackageTest {
    static FlightsSample sample;

    @TempDir
    Path temp;

    @BeforeAll
    static void loadSample() {
        sample = FlightsSample.load();
    }

    @Test
    void xgboostRoundTripPredictsWhatTheBoosterPredicts() throws XGBoostError {
        Booster booster = FlightModels.trainXGBoost(sample.train);
        ModelManifest saved = XGBoostFlavor().save(booster, temp.resolve("xgb"));
        int rows = sample.test.rows();
        float[][] expected = booster.inplace_predict(sample.test.features(), rows, 6, Float.NaN);

        try (LoadedModel model = Models.load(temp.resolve("xgb"))) {
            assertThat(model.manifest()).isEqualTo(saved);
            assertThat(model.manifest().flavor()).isEqualTo("xgboost");
            List<Tensor> out = model.predict(FlightModels.columns(sample.test, rows));
            assertThat(out).hasSize(1);
            assertThat(out.get(0).name()).isEqualTo("probability");
            assertThat(out.get(0).shape()).containsExactly(rows);
            float[] probabilities = (float[]) out.get(0).data();
            for (int r = 0; r < rows; r++) {
                // the trees are walked in Java: the same float sums, but Java's exp and the C library's
                // expf may round the sigmoid's last bit differently
                assertThat(probabilities[r]).isCloseTo(expected[r][0], within(Math.ulp(expected[r][0])));
            }
            assertThat(auc(probabilities, sample.test.labels())).isGreaterThan(0.53);
        }
        booster.dispose();
    }

    @Test
    void retrainingTheSameModelGivesTheSameContentHash() throws Exception {
        ModelManifest first = FlightModels.saveXGBoost(sample, temp.resolve("a"));
        Thread.sleep(5);
        ModelManifest second = FlightModels.saveXGBoost(sample, temp.resolve("b"));
        assertThat(second.contentHash()).isEqualTo(first.contentHash()).hasSize(64);
        assertThat(second.metadata().get("created_at"))
                .isNotEqualTo(first.metadata().get("created_at"));

        ModelManifest onnxA = FlightModels.saveLogisticOnnx(sample, temp.resolve("onnx-a"));
        Thread.sleep(5);
        ModelManifest onnxB = FlightModels.saveLogisticOnnx(sample, temp.resolve("onnx-b"));
        assertThat(onnxB.contentHash()).isEqualTo(onnxA.contentHash());
        assertThat(onnxB.metadata()).containsKey("tribuo_provenance").containsKey("trained_at");

        ModelManifest tribuoA = TribuoFlavor.save(
                FlightModels.trainLogistic(sample.train), temp.resolve("tribuo-a"), ModelSpec.empty());
        Thread.sleep(5);
        ModelManifest tribuoB = TribuoFlavor.save(
                FlightModels.trainLogistic(sample.train), temp.resolve("tribuo-b"), ModelSpec.empty());
        assertThat(tribuoB.contentHash()).isEqualTo(tribuoA.contentHash());
        assertThat(tribuoB.metadata().get("trained_at"))
                .isNotEqualTo(tribuoA.metadata().get("trained_at"));
    }

    @Test
    void tribuoLogisticRegressionExportedToOnnxPredictsWhatTribuoPredicts() {
        Model<Label> logistic = FlightModels.trainLogistic(sample.train);
        assertThat(TribuoFlavor.featureNames(logistic)).containsExactly(FlightsSample.FEATURES);
        TribuoFlavor.saveAsOnnx(logistic, temp.resolve("onnx"), ModelSpec.empty());
        int rows = 200;
        List<Prediction<Label>> expected =
                logistic.predict(FlightModels.examples(sample.test).subList(0, rows));

        try (LoadedModel model = Models.load(temp.resolve("onnx"))) {
            assertThat(model.manifest().flavor()).isEqualTo("onnx");
            TensorSpec input = model.manifest().signature().inputs().get(0);
            assertThat(input.datatype()).isEqualTo(DataType.FP32);
            assertThat(input.shape()).containsExactly(-1L, 6L);
            Tensor out = model.predict(List.of(FlightModels.matrix(sample.test, rows, input.name())))
                    .get(0);
            assertThat(out.shape()).containsExactly(rows, 2);
            float[] scores = (float[]) out.data();
            for (int r = 0; r < rows; r++) {
                Label delayed = expected.get(r).getOutputScores().get("delayed");
                int column = logistic.getOutputIDInfo().getID(new Label("delayed"));
                assertThat((double) scores[r * 2 + column])
                        .isCloseTo(delayed.getScore(), org.assertj.core.data.Offset.offset(1e-5));
            }
        }
    }

    /**
     * Inputs reach ONNX Runtime through memory each thread reuses: no call may see another call's
     * rows, whatever the sizes that came before it on the same thread or run beside it on others.
     * Each expected answer comes from a call of the same shape on a thread of its own.
     */
    @Test
    void onnxPredictionsDoNotDependOnTheCallsBeforeThemOrBesideThem() throws Exception {
        FlightModels.saveLogisticOnnx(sample, temp.resolve("onnx"));
        try (LoadedModel model = Models.load(temp.resolve("onnx"))) {
            String name = model.manifest().signature().inputs().get(0).name();
            Tensor all = FlightModels.matrix(sample.test, sample.test.rows(), name);
            // three copies of the test set: larger than the memory a thread keeps for reuse
            Tensor large = Tensor.concat(List.of(all, all, all));
            assertThat(large.batchSize() * 6 * Float.BYTES).isGreaterThan(64 * 1024);
            var inputs = new ArrayList<Tensor>();
            for (int rows : new int[] {1, 7, 300, 1, sample.test.rows(), 2, 40}) {
                inputs.add(all.rows(0, rows));
            }
            inputs.add(large);
            inputs.add(all.rows(5, 6));
            var expected = new ArrayList<float[]>();
            for (Tensor input : inputs) {
                expected.add(onItsOwnThread(() -> scores(model, input)));
            }
            assertThat(expected.get(inputs.size() - 2)).hasSize(3 * sample.test.rows() * 2);
            Callable<Void> calls = () -> {
                for (int i = 0; i < inputs.size(); i++) {
                    assertThat(scores(model, inputs.get(i))).containsExactly(expected.get(i));
                }
                return null;
            };
            ExecutorService threads = Executors.newFixedThreadPool(4);
            try {
                for (Future<Void> done : threads.invokeAll(List.of(calls, calls, calls, calls, calls, calls))) {
                    done.get();
                }
            } finally {
                threads.shutdownNow();
            }
        }
    }

    private static float[] scores(LoadedModel model, Tensor input) {
        return (float[]) model.predict(List.of(input)).get(0).data();
    }

    private static float[] onItsOwnThread(Callable<float[]> call) throws Exception {
        var result = new FutureTask<>(call);
        Thread thread = new Thread(result);
        thread.start();
        return result.get();
    }

    @Test
    void tribuoNativeRoundTripPredictsLabelsAndProbabilities() {
        Model<Label> logistic = FlightModels.trainLogistic(sample.train);
        TribuoFlavor.save(logistic, temp.resolve("tribuo"), ModelSpec.empty().withSource("run-1", "model"));
        int rows = 100;
        List<Prediction<Label>> expected =
                logistic.predict(FlightModels.examples(sample.test).subList(0, rows));

        try (LoadedModel model = Models.load(temp.resolve("tribuo"))) {
            assertThat(model.manifest().source()).containsEntry("run_id", "run-1");
            assertThat(model.manifest().signature().isColumnar()).isTrue();
            List<Tensor> out = model.predict(FlightModels.columns(sample.test, rows));
            String[] labels = (String[]) out.get(0).data();
            float[] probabilities = (float[]) out.get(1).data();
            List<String> classes =
                    List.of(model.manifest().flavorOption("classes").split(","));
            for (int r = 0; r < rows; r++) {
                assertThat(labels[r]).isEqualTo(expected.get(r).getOutput().getLabel());
                double delayed =
                        expected.get(r).getOutputScores().get("delayed").getScore();
                assertThat((double) probabilities[r * 2 + classes.indexOf("delayed")])
                        .isCloseTo(delayed, org.assertj.core.data.Offset.offset(1e-6));
            }
        }
    }

    @Test
    void inputExampleSurvivesTheManifest() {
        FlightModels.saveXGBoost(sample, temp.resolve("xgb"));
        try (LoadedModel model = Models.load(temp.resolve("xgb"))) {
            List<Tensor> example = model.inputExample();
            assertThat(example).hasSize(6);
            assertThat(example.get(0).name()).isEqualTo("day_of_week");
            assertThat(model.predict(example).get(0).shape()).containsExactly(1);
        }
    }

    @Test
    void aChangedModelFileIsRefusedNamingTheFile() throws Exception {
        Path dir = temp.resolve("xgb");
        FlightModels.saveXGBoost(sample, dir);
        Files.write(dir.resolve("model.ubj"), new byte[] {1, 2, 3});
        assertThatThrownBy(() -> Models.load(dir))
                .isInstanceOf(CairnException.class)
                .hasMessageContaining("model.ubj")
                .hasMessageContaining("SHA-256");
    }

    @Test
    void aMissingModelFileIsRefusedNamingTheFile() throws Exception {
        Path dir = temp.resolve("xgb");
        FlightModels.saveXGBoost(sample, dir);
        Files.delete(dir.resolve("model.ubj"));
        assertThatThrownBy(() -> Models.load(dir))
                .isInstanceOf(CairnException.class)
                .hasMessageContaining("model.ubj")
                .hasMessageContaining("missing");
    }

    @Test
    void anUnknownFormatVersionIsRefused() throws Exception {
        Path dir = temp.resolve("xgb");
        FlightModels.saveXGBoost(sample, dir);
        Path manifest = dir.resolve(ModelPackage.MANIFEST);
        Files.writeString(
                manifest, Files.readString(manifest).replace("\"format_version\" : 1", "\"format_version\" : 99"));
        assertThatThrownBy(() -> Models.load(dir))
                .isInstanceOf(CairnException.class)
                .hasMessageContaining("cairn-model.json")
                .hasMessageContaining("format_version 99");
    }

    @Test
    void anEditedContentHashIsRefused() throws Exception {
        Path dir = temp.resolve("xgb");
        ModelManifest saved = FlightModels.saveXGBoost(sample, dir);
        Path manifest = dir.resolve(ModelPackage.MANIFEST);
        Files.writeString(manifest, Files.readString(manifest).replace(saved.contentHash(), "0".repeat(64)));
        assertThatThrownBy(() -> Models.load(dir)).hasMessageContaining("content_hash");
    }

    @Test
    void anUnknownFlavorIsRefused() throws Exception {
        Path dir = temp.resolve("xgb");
        FlightModels.saveXGBoost(sample, dir);
        Path manifest = dir.resolve(ModelPackage.MANIFEST);
        Files.writeString(manifest, Files.readString(manifest).replace("\"xgboost\"", "\"pickle\""));
        assertThatThrownBy(() -> Models.load(dir))
                .hasMessageContaining("unknown flavor 'pickle'")
                .hasMessageContaining("onnx");
    }

    @Test
    void aDirectoryWithoutManifestIsRefused() {
        assertThatThrownBy(() -> Models.load(temp)).hasMessageContaining("cairn-model.json");
    }

    static double auc(float[] scores, float[] labels) {
        long positives = 0;
        long negatives = 0;
        double concordant = 0;
        Integer[] order = new Integer[scores.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        java.util.Arrays.sort(order, (a, b) -> Float.compare(scores[a], scores[b]));
        for (int i : order) {
            if (labels[i] > 0.5f) {
                positives++;
                concordant += negatives;
            } else {
                negatives++;
            }
        }
        return concordant / (positives * (double) negatives);
    }

    private static Saver XGBoostFlavor() {
        return (booster, dir) -> dev.cairn.models.xgboost.XGBoostFlavor.save(
                booster, FlightModels.xgboostSignature(), dir, ModelSpec.empty());
    }

    private interface Saver {
        ModelManifest save(Booster booster, Path directory);
    }
}
