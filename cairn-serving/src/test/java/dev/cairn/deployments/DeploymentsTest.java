package dev.cairn.deployments;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.artifacts.ArtifactPath;
import dev.cairn.artifacts.ArtifactRepository;
import dev.cairn.artifacts.ArtifactRoot;
import dev.cairn.artifacts.BlobStore;
import dev.cairn.core.CairnException;
import dev.cairn.core.ErrorCode;
import dev.cairn.models.GateFlavor;
import dev.cairn.models.Tensor;
import dev.cairn.registry.NewModelVersion;
import dev.cairn.registry.RegistryStore;
import dev.cairn.serving.InferenceEngine;
import dev.cairn.serving.InferenceLog;
import dev.cairn.serving.InferenceRequest;
import dev.cairn.serving.ServingConfig;
import dev.cairn.store.Database;
import dev.cairn.store.TestDatabases;
import dev.cairn.tracking.NewRun;
import dev.cairn.tracking.TrackingStore;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Deployments over a real database of each kind and a real engine: storage, history, restart, routing. */
class DeploymentsTest {
    @TempDir
    Path temp;

    @ParameterizedTest
    @EnumSource(TestDatabases.Kind.class)
    void changesAreStoredWithTheirHistoryAndSurviveARestart(TestDatabases.Kind kind) throws Exception {
        String v1 = GateFlavor.write(temp.resolve("v1")).toString();
        String v2 = GateFlavor.write(temp.resolve("v2")).toString();
        ServingConfig config = ServingConfig.defaults();
        try (Database db = kind.open()) {
            try (InferenceLog log = InferenceLog.open(db, config);
                    InferenceEngine engine = new InferenceEngine(config, log);
                    Deployments deployments = Deployments.open(db, engine, ModelSource.directories(), Duration.ZERO)) {
                Routing canary = new Routing(
                        List.of(new TrafficSplit(v1, "1", 75), new TrafficSplit(v2, "2", 25)), "", List.of(), null);
                Deployment created = deployments.create("gate", canary, "alice");
                assertThat(created.status()).isEqualTo(DeploymentStatus.CANARY);
                assertThat(created.routing().stable()).isEqualTo("1");
                assertThat(deployments.promote("gate", "", "bob").routing().splits())
                        .containsExactly(new TrafficSplit(v2, "2", 100));
                assertThatThrownBy(() -> deployments.create("gate", canary, "carol"))
                        .isInstanceOfSatisfying(CairnException.class, e -> assertThat(e.code())
                                .isEqualTo(ErrorCode.RESOURCE_ALREADY_EXISTS));
            }
            try (InferenceLog log = InferenceLog.open(db, config);
                    InferenceEngine engine = new InferenceEngine(config, log);
                    Deployments deployments = Deployments.open(db, engine, ModelSource.directories(), Duration.ZERO)) {
                assertThat(deployments.router().serves("gate")).isTrue();
                var request = new InferenceRequest(
                        "", "gate", "", List.of(Tensor.ofFloats("x", new float[] {2f}, 1)), List.of());
                assertThat(deployments.router().infer(request, "any").version()).isEqualTo("2");
                List<DeploymentEvent> history = deployments.history("gate");
                assertThat(history)
                        .extracting(DeploymentEvent::action)
                        .containsExactly(DeploymentAction.CREATE, DeploymentAction.PROMOTE);
                assertThat(history).extracting(DeploymentEvent::actor).containsExactly("alice", "bob");
                assertThat(history.get(1).at()).isAfter(history.get(0).at());
                assertThat(history.get(0).routing().splits()).hasSize(2);
                assertThat(deployments.get("gate").updatedBy()).isEqualTo("bob");
            }
        }
    }

    @ParameterizedTest
    @EnumSource(TestDatabases.Kind.class)
    void aRegisteredVersionIsDownloadedFromTheArtifactStoreAndServed(TestDatabases.Kind kind) throws Exception {
        Path gate = GateFlavor.write(temp.resolve("gate"));
        ServingConfig config = ServingConfig.defaults();
        try (Database db = kind.open();
                InferenceEngine engine = new InferenceEngine(config)) {
            TrackingStore tracking = TrackingStore.on(db);
            String experiment = tracking.createExperiment("deployments", Optional.empty(), List.of());
            String run = tracking.createRun(new NewRun(
                            experiment, "alice", System.currentTimeMillis(), Optional.of("train"), List.of()))
                    .info()
                    .runId();
            ArtifactRepository artifacts = ArtifactRepository.over(db, BlobStore.local(temp.resolve("blobs")));
            try (Stream<Path> files = Files.list(gate)) {
                for (Path file : files.toList()) {
                    try (InputStream in = Files.newInputStream(file)) {
                        artifacts.put(
                                ArtifactRoot.ofRun(experiment, run),
                                ArtifactPath.of("model/" + file.getFileName()),
                                in);
                    }
                }
            }
            RegistryStore registry = RegistryStore.on(db, tracking);
            registry.createRegisteredModel("gate", List.of(), "");
            registry.createModelVersion(NewModelVersion.of("gate", "runs:/" + run + "/model"));
            ModelSource source = ModelSource.registry(registry, artifacts, temp.resolve("cache"));

            Path resolved = source.resolve("models:/gate/1");
            assertThat(resolved).isEqualTo(temp.resolve("cache/gate/1"));
            assertThat(Files.readString(resolved.resolve("gate.txt"))).isEqualTo("doubles x");
            try (Deployments deployments = Deployments.open(db, engine, source, Duration.ZERO)) {
                Routing routing =
                        new Routing(List.of(new TrafficSplit("models:/gate/1", "", 100)), "", List.of(), null);
                assertThat(deployments
                                .create("gate-prod", routing, "alice")
                                .routing()
                                .stable())
                        .isEqualTo("1");
                var request = new InferenceRequest(
                        "", "gate-prod", "", List.of(Tensor.ofFloats("x", new float[] {2f}, 1)), List.of());
                assertThat((float[]) deployments
                                .router()
                                .infer(request, "")
                                .outputs()
                                .get(0)
                                .data())
                        .containsExactly(4f);
            }
            assertThatThrownBy(() -> source.resolve("models:/gate/7"))
                    .isInstanceOfSatisfying(CairnException.class, e -> assertThat(e.code())
                            .isEqualTo(ErrorCode.RESOURCE_DOES_NOT_EXIST));
        }
    }

    @Test
    void routingRefusesBadSplitsNamingTheField() {
        assertThatThrownBy(() -> new Routing(
                        List.of(new TrafficSplit("/a", "1", 60), new TrafficSplit("/b", "2", 30)), "", List.of(), null))
                .hasMessageContaining("sum to 100, got 90");
        assertThatThrownBy(() -> new Routing(List.of(new TrafficSplit("/a", "1", 100)), "9", List.of(), null))
                .hasMessageContaining("'stable' version '9'");
        assertThatThrownBy(() -> new TrafficSplit("/a", "", 100)).hasMessageContaining("needs a 'version'");
        assertThatThrownBy(() -> new TrafficSplit("/a", "1", 101)).hasMessageContaining("[0, 100], got 101");
        assertThat(new TrafficSplit("models:/flights/7", "", 5).version()).isEqualTo("7");
        assertThatThrownBy(() -> new CanaryPolicy(1.5, 10, 1, 1, 0, true)).hasMessageContaining("max_error_rate");
    }

    @Test
    void routingKeysSpreadEvenlyOverBuckets() {
        // 100,000 keys into 100 buckets: each expects 1,000 (sd 31.5); allow 6 sd for every bucket.
        int[] counts = new int[100];
        for (int i = 0; i < 100_000; i++) {
            counts[DeploymentRouter.bucket("user-" + i)]++;
        }
        for (int count : counts) {
            assertThat(count).isBetween(1000 - 189, 1000 + 189);
        }
        assertThat(DeploymentRouter.bucket("user-42")).isEqualTo(DeploymentRouter.bucket("user-42"));
    }
}
