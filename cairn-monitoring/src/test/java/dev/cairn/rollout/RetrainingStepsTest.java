package dev.cairn.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cairn.artifacts.ArtifactRepository;
import dev.cairn.artifacts.BlobStore;
import dev.cairn.deployments.Deployment;
import dev.cairn.deployments.DeploymentStatus;
import dev.cairn.deployments.Deployments;
import dev.cairn.deployments.ModelSource;
import dev.cairn.deployments.TrafficSplit;
import dev.cairn.lineage.Direction;
import dev.cairn.lineage.EdgeType;
import dev.cairn.lineage.LineageEdge;
import dev.cairn.lineage.LineageStore;
import dev.cairn.lineage.LineageUri;
import dev.cairn.pipelines.Pipeline;
import dev.cairn.pipelines.builtin.BuiltinSteps;
import dev.cairn.pipelines.builtin.RegisterStep;
import dev.cairn.pipelines.builtin.StepServices;
import dev.cairn.pipelines.execution.PipelineEngine;
import dev.cairn.pipelines.execution.PipelineRunRecord;
import dev.cairn.pipelines.execution.PipelineStatus;
import dev.cairn.pipelines.execution.RunOptions;
import dev.cairn.pipelines.execution.StepStatus;
import dev.cairn.registry.RegistryStore;
import dev.cairn.serving.InferenceEngine;
import dev.cairn.serving.ServingConfig;
import dev.cairn.store.Database;
import dev.cairn.store.TestDatabases;
import dev.cairn.tracking.Tag;
import dev.cairn.tracking.TrackingStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** train, evaluate (against the champion), register and deploy, run by the engine on the flights sample. */
class RetrainingStepsTest {
    static final Path FLIGHTS = Path.of("..", "examples", "data", "flights-sample-6k.csv");
    static final String PIPELINE = """
            name: retrain
            params: {rounds: 20}
            steps:
              train:
                uses: train
                inputs: {data: flights.csv}
                with:
                  label: "delay > 15"
                  features: {hour: "hour(date)", distance: distance}
                  where: "month(date) <= 3"
                  params: {max_depth: 3}
                  rounds: "${params.rounds}"
                outputs: {model: out/model/}
              evaluate:
                uses: evaluate
                inputs: {model: steps.train.outputs.model, holdout: flights.csv}
                with: {champion: "models:/delays@champion", gate: %s, where: "month(date) = 4"}
                outputs: {evaluation: out/evaluation.json}
              register:
                uses: register
                inputs: {model: steps.train.outputs.model, evaluation: steps.evaluate.outputs.evaluation}
                with: {name: delays}
                outputs: {version: out/version.json}
              deploy:
                uses: deploy
                inputs: {version: steps.register.outputs.version}
                with: {deployment: delays, percent: 20, policy: {min_requests: 10}}
            """;

    @TempDir
    Path root;

    @ParameterizedTest
    @EnumSource(TestDatabases.Kind.class)
    void aRetrainIsGatedAgainstTheChampionRegisteredAndDeployedAsACanary(TestDatabases.Kind kind) throws Exception {
        Path project = Files.createDirectories(root.resolve("project"));
        Files.copy(FLIGHTS, project.resolve("flights.csv"));
        Files.writeString(project.resolve("gate.yaml"), """
                metrics: [{metric: auc, min: 0.55}]
                changes: [{metric: auc, absolute: 0.05}]
                """);
        Files.writeString(project.resolve("strict.yaml"), "metrics: [{metric: auc, min: 0.99}]\n");
        try (Database db = kind.open();
                InferenceEngine inference = new InferenceEngine(ServingConfig.defaults())) {
            TrackingStore tracking = TrackingStore.on(db);
            BlobStore blobs = BlobStore.local(root.resolve("blobs"));
            ArtifactRepository artifacts = ArtifactRepository.over(db, blobs);
            RegistryStore registry = RegistryStore.on(db, tracking);
            try (Deployments deployments = Deployments.open(
                            db,
                            inference,
                            ModelSource.registry(registry, artifacts, root.resolve("deployed")),
                            Duration.ZERO);
                    PipelineEngine engine = PipelineEngine.builder(db, tracking, blobs)
                            .builtins(BuiltinSteps.discovered()
                                    .provide(StepServices.none()
                                            .with(Database.class, db)
                                            .with(ArtifactRepository.class, artifacts)
                                            .with(Deployments.class, deployments)))
                            .logRoot(root.resolve("logs"))
                            .build()) {
                Pipeline pipeline = Pipeline.parse(PIPELINE.formatted("gate.yaml"), project, "cairn.yaml");

                PipelineRunRecord first = engine.run(pipeline, RunOptions.DEFAULTS);
                assertThat(first.status()).as(first.message().orElse("")).isEqualTo(PipelineStatus.SUCCEEDED);
                assertThat(deployments.get("delays").routing().stable()).isEqualTo("1");
                JsonNode evaluation = new ObjectMapper()
                        .readTree(project.resolve("out/evaluation.json").toFile());
                assertThat(evaluation.path("verdict").asText()).isEqualTo("BLESSED");
                assertThat(evaluation.has("champion")).isFalse();
                registry.setRegisteredModelAlias("delays", "champion", "1");

                PipelineRunRecord second = engine.run(pipeline, RunOptions.withParams(Map.of("rounds", "40")));

                assertThat(second.status()).as(second.message().orElse("")).isEqualTo(PipelineStatus.SUCCEEDED);
                evaluation = new ObjectMapper()
                        .readTree(project.resolve("out/evaluation.json").toFile());
                assertThat(evaluation.path("champion").path("uri").asText()).isEqualTo("models:/delays/1");
                assertThat(evaluation
                                .path("evaluation")
                                .path("overall")
                                .path("baseline")
                                .has("auc"))
                        .isTrue();
                assertThat(registry.getModelVersion("delays", "2").tags())
                        .contains(new Tag("cairn.blessing", "BLESSED"));
                var registering = tracking.getRun(
                                registry.getModelVersion("delays", "2").runId())
                        .info();
                try (var stored = artifacts.open(
                        dev.cairn.artifacts.ArtifactRoot.ofRun(registering.experimentId(), registering.runId()),
                        dev.cairn.artifacts.ArtifactPath.of(RegisterStep.EVALUATION_ARTIFACT))) {
                    assertThat(new ObjectMapper()
                                    .readTree(stored)
                                    .path("verdict")
                                    .asText())
                            .isEqualTo("BLESSED");
                }
                Deployment canary = deployments.get("delays");
                assertThat(canary.status()).isEqualTo(DeploymentStatus.CANARY);
                assertThat(canary.routing().canaries())
                        .extracting(TrafficSplit::version, TrafficSplit::weight)
                        .containsExactly(org.assertj.core.groups.Tuple.tuple("2", 20));
                assertThat(canary.routing().policy().promoteAfter()).isEqualTo(20);
                assertThat(LineageStore.of(db)
                                .traverse(LineageUri.model("delays", 2), Direction.DOWN, 1)
                                .edges())
                        .extracting(LineageEdge::type, LineageEdge::target)
                        .containsExactly(org.assertj.core.groups.Tuple.tuple(
                                EdgeType.DEPLOYED_AS, LineageUri.deployment("delays")));

                PipelineRunRecord strict = engine.run(
                        Pipeline.parse(PIPELINE.formatted("strict.yaml"), project, "cairn.yaml"),
                        RunOptions.withParams(Map.of("rounds", "30")));

                assertThat(strict.status()).isEqualTo(PipelineStatus.FAILED);
                assertThat(strict.step("evaluate").message().orElseThrow()).contains("NOT_BLESSED", "auc");
                assertThat(strict.step("register").status()).isNotEqualTo(StepStatus.SUCCEEDED);
                assertThat(registry.searchModelVersions(dev.cairn.registry.RegistrySearch.of("name = 'delays'", 100))
                                .items())
                        .hasSize(2);
            }
        }
    }

    @Test
    void aTribuoLogisticRegressionIsScoredByItsPositiveClassProbability() throws Exception {
        Path project = Files.createDirectories(root.resolve("tribuo"));
        Files.copy(FLIGHTS, project.resolve("flights.csv"));
        try (Database db = TestDatabases.sqlite(Files.createDirectories(root.resolve("tribuo-store")));
                PipelineEngine engine = PipelineEngine.builder(
                                db, TrackingStore.on(db), BlobStore.local(root.resolve("tribuo-blobs")))
                        .builtins(BuiltinSteps.discovered())
                        .logRoot(root.resolve("tribuo-logs"))
                        .build()) {
            PipelineRunRecord run = engine.run(Pipeline.parse("""
                            name: tribuo
                            steps:
                              train:
                                uses: train
                                inputs: {data: flights.csv}
                                with:
                                  flavor: tribuo-logistic
                                  label: "delay > 15"
                                  features: {hour: "hour(date)", distance: "distance / 1000.0"}
                                  where: "month(date) <= 3"
                                outputs: {model: out/model/}
                              evaluate:
                                uses: evaluate
                                inputs: {model: steps.train.outputs.model, holdout: flights.csv}
                                with: {where: "month(date) = 4"}
                                outputs: {evaluation: out/evaluation.json}
                            """, project, "cairn.yaml"), RunOptions.DEFAULTS);

            assertThat(run.status()).as(run.message().orElse("")).isEqualTo(PipelineStatus.SUCCEEDED);
            JsonNode overall = new ObjectMapper()
                    .readTree(project.resolve("out/evaluation.json").toFile())
                    .path("evaluation")
                    .path("overall")
                    .path("candidate");
            assertThat(overall.path("count").asLong()).isEqualTo(1000);
            // hour of departure carries the signal: a model scoring the wrong class would rank below 0.5
            assertThat(overall.path("auc").asDouble()).isGreaterThan(0.55);
        }
    }
}
