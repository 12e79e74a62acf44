package dev.cairn.serving;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.models.GateFlavor;
import dev.cairn.models.Tensor;
import dev.cairn.store.Database;
import dev.cairn.store.TestDatabases;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class InferenceLogTest {
    @TempDir
    java.nio.file.Path temp;

    @ParameterizedTest
    @EnumSource(TestDatabases.Kind.class)
    void everyRequestIsLoggedAndReadableByIdModelAndDeployment(TestDatabases.Kind kind) throws Exception {
        ServingConfig config = ServingConfig.builder().logBatchSize(7).build();
        try (Database db = kind.open();
                InferenceLog log = InferenceLog.open(db, config);
                InferenceEngine engine = new InferenceEngine(config, log)) {
            engine.load("gate", "1", GateFlavor.write(temp.resolve("gate")));
            Instant before = Instant.now().minusMillis(1);
            for (int i = 0; i < 20; i++) {
                engine.infer(
                        new InferenceRequest("req-" + i, "gate", "", gateInput(i), List.of()), i < 5 ? "canary" : "");
            }
            assertThatThrownBy(() -> engine.infer(new InferenceRequest(
                    "bad-1", "gate", "", List.of(Tensor.ofInts("x", new int[] {1}, 1)), List.of())));
            log.flush(10_000);
            assertThat(log.written()).isEqualTo(21);
            assertThat(log.dropped()).isZero();

            var query = new InferenceLogQuery(db);
            LoggedInference third = query.byRequestId("req-3").orElseThrow();
            assertThat(third.model()).isEqualTo("gate");
            assertThat(third.version()).isEqualTo("1");
            assertThat(third.deployment()).isEqualTo("canary");
            assertThat(third.status()).isEqualTo("OK");
            assertThat(third.inputs())
                    .isEqualTo("[{\"name\":\"x\",\"datatype\":\"FP32\",\"shape\":[1],\"data\":[3.0]}]");
            assertThat(third.outputs())
                    .isEqualTo("[{\"name\":\"y\",\"datatype\":\"FP32\",\"shape\":[1],\"data\":[6.0]}]");
            assertThat(third.latencyMicros()).isNotNegative();

            LoggedInference bad = query.byRequestId("bad-1").orElseThrow();
            assertThat(bad.status()).isEqualTo("INVALID_PARAMETER_VALUE");
            assertThat(bad.outputs()).contains("expected FP32 [-1], got INT32 [1]");

            Instant after = Instant.now().plusSeconds(1);
            assertThat(query.byModel("gate", before, after, 1000)).hasSize(21);
            assertThat(query.byModel("gate", before, after, 4)).hasSize(4);
            assertThat(query.byDeployment("canary", before, after, 1000))
                    .extracting(LoggedInference::requestId)
                    .containsExactlyInAnyOrder("req-0", "req-1", "req-2", "req-3", "req-4");
            assertThat(query.byModel("gate", after, after.plusSeconds(5), 10)).isEmpty();
            assertThat(query.byRequestId("req-99")).isEmpty();
        }
    }

    @ParameterizedTest
    @EnumSource(value = TestDatabases.Kind.class, names = "SQLITE")
    void samplingAtZeroLogsNothingAndAClosedLogCountsDrops(TestDatabases.Kind kind) throws Exception {
        ServingConfig config = ServingConfig.builder()
                .logSampleRate(0)
                .logFlushInterval(Duration.ofMillis(10))
                .build();
        try (Database db = kind.open()) {
            InferenceLog log = InferenceLog.open(db, config);
            try (InferenceEngine engine = new InferenceEngine(config, log)) {
                engine.load("gate", "1", GateFlavor.write(temp.resolve("gate")));
                for (int i = 0; i < 10; i++) {
                    engine.infer(new InferenceRequest("s-" + i, "gate", "", gateInput(i), List.of()));
                }
            }
            log.flush(1000);
            assertThat(log.written()).isZero();
            log.close();
            log.accept(
                    new InferenceRecord("late", "", "gate", "1", Instant.now(), 1, "OK", gateInput(1), List.of(), ""));
            assertThat(log.dropped()).isEqualTo(1);
            assertThat(new InferenceLogQuery(db).byRequestId("late")).isEmpty();
        }
    }

    private static List<Tensor> gateInput(float x) {
        return List.of(Tensor.ofFloats("x", new float[] {x}, 1));
    }
}
