package dev.cairn.serving;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.core.CairnException;
import dev.cairn.core.ErrorCode;
import dev.cairn.models.FlightModels;
import dev.cairn.models.FlightsSample;
import dev.cairn.models.GateFlavor;
import dev.cairn.models.LoadedModel;
import dev.cairn.models.ModelManifest;
import dev.cairn.models.ModelPackage;
import dev.cairn.models.ModelSpec;
import dev.cairn.models.Models;
import dev.cairn.models.Tensor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InferenceEngineTest {
    static FlightsSample sample;
    static Path xgboost;

    @TempDir
    static Path shared;

    @TempDir
    Path temp;

    InferenceEngine engine;

    @BeforeAll
    static void trainOnce() {
        sample = FlightsSample.load();
        xgboost = shared.resolve("xgb");
        FlightModels.saveXGBoost(sample, xgboost);
    }

    @AfterEach
    void close() {
        if (engine != null) {
            engine.close();
        }
        GateFlavor.gate = new CountDownLatch(0);
    }

    @Test
    void servesWhatTheModelPredicts() {
        engine = new InferenceEngine(ServingConfig.defaults());
        ModelInfo info = engine.load("flights", "1", xgboost);
        assertThat(info.flavor()).isEqualTo("xgboost");

        List<Tensor> rows = FlightModels.columns(sample.test, 50);
        InferenceResponse response = engine.infer(InferenceRequest.of("flights", rows));
        assertThat(response.version()).isEqualTo("1");
        try (LoadedModel direct = Models.load(xgboost)) {
            Tensor expected = direct.predict(rows).get(0);
            assertThat((float[]) response.outputs().get(0).data()).containsExactly((float[]) expected.data());
        }
    }

    @Test
    void badInputIsRefusedNamingTheInputAndWhatArrived() {
        engine = new InferenceEngine(ServingConfig.defaults());
        engine.load("flights", "1", xgboost);
        List<Tensor> good = FlightModels.columns(sample.test, 3);

        var missing = new ArrayList<>(good.subList(1, 6));
        assertThatThrownBy(() -> engine.infer(InferenceRequest.of("flights", missing)))
                .hasMessageContaining("input 'day_of_week' is missing")
                .hasMessageContaining("FP32 [-1]");

        var wrongType = new ArrayList<>(good);
        wrongType.set(2, Tensor.ofDoubles("distance", new double[] {1, 2, 3}, 3));
        assertThatThrownBy(() -> engine.infer(InferenceRequest.of("flights", wrongType)))
                .isInstanceOfSatisfying(
                        CairnException.class,
                        e -> assertThat(e.code().httpStatus()).isEqualTo(400))
                .hasMessageContaining("input 'distance': expected FP32 [-1], got FP64 [3]");

        var wrongShape = new ArrayList<>(good);
        wrongShape.set(0, Tensor.ofFloats("day_of_week", new float[] {1, 2, 3}, 3, 1));
        assertThatThrownBy(() -> engine.infer(InferenceRequest.of("flights", wrongShape)))
                .hasMessageContaining("input 'day_of_week': expected FP32 [-1], got FP32 [3, 1]");

        var ragged = new ArrayList<>(good);
        ragged.set(3, Tensor.ofFloats("hour", new float[] {1, 2}, 2));
        assertThatThrownBy(() -> engine.infer(InferenceRequest.of("flights", ragged)))
                .hasMessageContaining("input 'hour': batch size 2 differs from input 'day_of_week' with batch size 3");

        var unknown = new ArrayList<>(good);
        unknown.add(Tensor.ofFloats("carrier", new float[] {1, 2, 3}, 3));
        assertThatThrownBy(() -> engine.infer(InferenceRequest.of("flights", unknown)))
                .hasMessageContaining("input 'carrier' is not an input of the model");

        assertThatThrownBy(() -> engine.infer(new InferenceRequest("", "flights", "", good, List.of("score"))))
                .hasMessageContaining("output 'score' is not an output");
    }

    @Test
    void unknownModelsAndVersionsAreNotFound() {
        engine = new InferenceEngine(ServingConfig.defaults());
        engine.load("flights", "1", xgboost);
        List<Tensor> rows = FlightModels.columns(sample.test, 1);
        assertThatThrownBy(() -> engine.infer(InferenceRequest.of("trains", rows)))
                .isInstanceOfSatisfying(
                        CairnException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.RESOURCE_DOES_NOT_EXIST));
        assertThatThrownBy(
                        () -> engine.infer(InferenceRequest.of("flights", rows).withVersion("7")))
                .hasMessageContaining("has no version '7'")
                .hasMessageContaining("[1]");
    }

    @Test
    void aCorruptPackageFailsAtLoadAndThePreviousVersionKeepsServing() throws Exception {
        engine = new InferenceEngine(ServingConfig.defaults());
        ModelInfo before = engine.load("flights", "1", xgboost);

        Path corrupt = temp.resolve("corrupt");
        copy(xgboost, corrupt);
        Files.write(corrupt.resolve("model.ubj"), new byte[] {'{', 'x'});
        assertThatThrownBy(() -> engine.load("flights", "1", corrupt)).hasMessageContaining("model.ubj");
        assertThatThrownBy(() -> engine.load("flights", "2", corrupt)).hasMessageContaining("model.ubj");

        assertThat(engine.model("flights", "").orElseThrow()).isEqualTo(before);
        assertThat(engine.versions("flights")).extracting(ModelInfo::version).containsExactly("1");
        InferenceResponse response = engine.infer(InferenceRequest.of("flights", FlightModels.columns(sample.test, 1)));
        assertThat(response.version()).isEqualTo("1");
    }

    @Test
    void aPackageWhoseModelFileIsNotAModelFailsAtLoad() throws Exception {
        engine = new InferenceEngine(ServingConfig.defaults());
        engine.load("flights", "1", xgboost);
        // A well-formed package with valid hashes whose booster file is not a booster.
        ModelManifest good = ModelPackage.read(xgboost);
        Path broken = temp.resolve("broken");
        Files.createDirectories(broken);
        Files.writeString(broken.resolve("model.ubj"), "not a booster");
        ModelPackage.seal(
                broken, "xgboost", good.flavorOptions(), good.requirements(), good.signature(), ModelSpec.empty());

        assertThatThrownBy(() -> engine.load("flights", "2", broken))
                .isInstanceOfSatisfying(
                        CairnException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_STATE))
                .hasMessageContaining("model.ubj");
        assertThat(engine.versions("flights")).extracting(ModelInfo::version).containsExactly("1");
        assertThat(engine.infer(InferenceRequest.of("flights", FlightModels.columns(sample.test, 1)))
                        .version())
                .isEqualTo("1");
    }

    @Test
    void overloadIsTemporarilyUnavailableAndTheEngineRecovers() throws Exception {
        engine = new InferenceEngine(ServingConfig.builder().maxQueue(1).build());
        engine.load("gate", "1", GateFlavor.write(temp.resolve("gate")));
        GateFlavor.gate = new CountDownLatch(1);
        GateFlavor.entered = new CountDownLatch(1);
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            Future<InferenceResponse> held = pool.submit(() -> engine.infer(gateRequest(1f)));
            GateFlavor.entered.await();
            assertThatThrownBy(() -> engine.infer(gateRequest(2f)))
                    .isInstanceOfSatisfying(CairnException.class, e -> assertThat(e.code())
                            .isEqualTo(ErrorCode.TEMPORARILY_UNAVAILABLE));
            GateFlavor.gate.countDown();
            assertThat((float[]) held.get().outputs().get(0).data()).containsExactly(2f);
            assertThat((float[]) engine.infer(gateRequest(3f)).outputs().get(0).data())
                    .containsExactly(6f);
        } finally {
            GateFlavor.gate.countDown();
            pool.shutdown();
        }
    }

    @Test
    void microBatchingMergesConcurrentRequestsAndAnswersEachItsOwnRows() throws Exception {
        engine = new InferenceEngine(ServingConfig.builder()
                .batching(ServingConfig.Batching.ALWAYS)
                .maxBatchSize(8)
                .build());
        engine.load("gate", "1", GateFlavor.write(temp.resolve("gate")));
        GateFlavor.batchSizes.clear();
        int cores = Runtime.getRuntime().availableProcessors();
        GateFlavor.gate = new CountDownLatch(1);
        GateFlavor.entered = new CountDownLatch(cores + 1);
        ExecutorService pool = Executors.newFixedThreadPool(cores + 6);
        try {
            // One request per core finds fewer requests running than cores and runs on its own
            // thread; the next goes to the worker. All are held at the gate, one at a time in order.
            var held = new ArrayList<Future<InferenceResponse>>();
            for (int i = 0; i <= cores; i++) {
                float x = i;
                held.add(pool.submit(() -> engine.infer(gateRequest(x))));
                while (GateFlavor.entered.getCount() > cores - i) {
                    Thread.onSpinWait();
                }
            }
            // While they are held, five more queue up and become one batch.
            var rest = new ArrayList<Future<InferenceResponse>>();
            for (int i = cores + 1; i <= cores + 5; i++) {
                float x = i;
                rest.add(pool.submit(() -> engine.infer(gateRequest(x))));
            }
            while (queued() < 5) {
                Thread.onSpinWait();
            }
            GateFlavor.gate.countDown();
            for (int i = 0; i <= cores; i++) {
                assertThat((float[]) held.get(i).get().outputs().get(0).data()).containsExactly(2f * i);
            }
            for (int i = 0; i < 5; i++) {
                assertThat((float[]) rest.get(i).get().outputs().get(0).data()).containsExactly(2f * (cores + 1 + i));
            }
            var expectedSizes = new ArrayList<Integer>();
            for (int i = 0; i <= cores; i++) {
                expectedSizes.add(1);
            }
            expectedSizes.add(5);
            assertThat(GateFlavor.batchSizes).containsExactlyInAnyOrderElementsOf(expectedSizes);
        } finally {
            GateFlavor.gate.countDown();
            pool.shutdown();
        }
    }

    @Test
    void microBatchedXGBoostAnswersEqualSingleAnswers() throws Exception {
        engine = new InferenceEngine(ServingConfig.builder().maxBatchSize(16).build());
        engine.load("flights", "1", xgboost);
        var single = new InferenceEngine(
                ServingConfig.builder().batching(ServingConfig.Batching.OFF).build());
        single.load("flights", "1", xgboost);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            var futures = new ArrayList<Future<float[]>>();
            for (int r = 0; r < 400; r++) {
                int row = r;
                futures.add(pool.submit(() -> (float[]) engine.infer(InferenceRequest.of("flights", row(row)))
                        .outputs()
                        .get(0)
                        .data()));
            }
            for (int r = 0; r < 400; r++) {
                float[] expected = (float[]) single.infer(InferenceRequest.of("flights", row(r)))
                        .outputs()
                        .get(0)
                        .data();
                assertThat(futures.get(r).get()).containsExactly(expected);
            }
        } finally {
            pool.shutdown();
            single.close();
        }
    }

    private static List<Tensor> row(int r) {
        var columns = new ArrayList<Tensor>();
        for (int c = 0; c < FlightsSample.FEATURES.length; c++) {
            columns.add(Tensor.ofFloats(
                    FlightsSample.FEATURES[c], new float[] {sample.test.row(r)[c]}, 1));
        }
        return columns;
    }

    private int queued() {
        return engine.queueDepth("gate", "1");
    }

    static InferenceRequest gateRequest(float x) {
        return InferenceRequest.of("gate", List.of(Tensor.ofFloats("x", new float[] {x}, 1)));
    }

    static void copy(Path from, Path to) throws Exception {
        Files.createDirectories(to);
        try (var files = Files.list(from)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                Files.copy(file, to.resolve(file.getFileName()));
            }
        }
    }
}
