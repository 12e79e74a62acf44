package dev.cairn.pipelines.builtin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cairn.artifacts.ArtifactRepository;
import dev.cairn.artifacts.BlobStore;
import dev.cairn.lineage.Direction;
import dev.cairn.lineage.EdgeType;
import dev.cairn.lineage.LineageEdge;
import dev.cairn.lineage.LineageStore;
import dev.cairn.lineage.LineageUri;
import dev.cairn.models.LoadedModel;
import dev.cairn.models.ModelPackage;
import dev.cairn.models.Models;
import dev.cairn.models.Tensor;
import dev.cairn.pipelines.Pipeline;
import dev.cairn.pipelines.execution.PipelineEngine;
import dev.cairn.pipelines.execution.PipelineRunRecord;
import dev.cairn.pipelines.execution.PipelineStatus;
import dev.cairn.pipelines.execution.RunOptions;
import dev.cairn.pipelines.execution.StepStatus;
import dev.cairn.registry.ModelVersion;
import dev.cairn.registry.RegistryStore;
import dev.cairn.store.Database;
import dev.cairn.store.TestDatabases;
import dev.cairn.tracking.Metric;
import dev.cairn.tracking.Tag;
import dev.cairn.tracking.TrackingStore;
import dev.cairn.validation.SchemaInference;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The built-in steps run through the engine on the committed flights sample. */
class BuiltinStepsTest {
    static final Path FLIGHTS = Path.of("..", "examples", "data", "flights-sample-6k.csv");
    static final String TRAIN = """
              train:
                uses: train
                inputs: {data: flights.csv}
                with:
                  flavor: %s
                  label: "delay > 15"
                  features: {hour: "hour(date)", distance: distance, month: "month(date)"}
                  where: "month(date) <= 3"
                  params: {max_depth: 3, eta: 0.2}
                  rounds: 30
                  seed: 7
                outputs: {model: {path: out/model, type: directory}}
            """;

    @TempDir
    Path root;

    Path project;
    Database db;
    TrackingStore tracking;
    PipelineEngine engine;

    @BeforeEach
    void setUp() throws Exception {
        project = Files.createDirectories(root.resolve("project"));
        Files.copy(FLIGHTS, project.resolve("flights.csv"));
        db = TestDatabases.sqlite(Files.createDirectories(root.resolve("store")));
        tracking = TrackingStore.on(db);
        BlobStore blobs = BlobStore.local(root.resolve("blobs"));
        StepServices services = StepServices.none()
                .with(Database.class, db)
                .with(ArtifactRepository.class, ArtifactRepository.over(db, blobs));
        engine = PipelineEngine.builder(db, tracking, blobs)
                .builtins(BuiltinSteps.discovered().provide(services))
                .logRoot(root.resolve("logs"))
                .parallelism(2)
                .build();
    }

    @AfterEach
    void tearDown() {
        engine.close();
        db.close();
    }

    @Test
    void validateTrainAndRegisterAFlightDelayModel() throws Exception {
        SchemaInference.infer(project.resolve("flights.csv")).write(project.resolve("schema.json"));
        Pipeline pipeline = Pipeline.parse("""
                name: delays
                steps:
                  validate:
                    uses: validate
                    inputs: {data: flights.csv}
                    with: {schema: schema.json}
                    outputs: {report: out/validation.json}
                """ + TRAIN.formatted("xgboost") + """
                          register:
                            uses: register
                            after: [validate]
                            inputs: {model: steps.train.outputs.model}
                            with: {name: delays, tags: {team: ops}}
                            outputs: {version: out/version.json}
                        """, project, "cairn.yaml");

        PipelineRunRecord run = engine.run(pipeline, RunOptions.DEFAULTS);

        assertThat(run.status()).as(run.message().orElse("")).isEqualTo(PipelineStatus.SUCCEEDED);
        JsonNode report = new ObjectMapper()
                .readTree(project.resolve("out/validation.json").toFile());
        assertThat(report.path("passed").asBoolean()).isTrue();
        assertThat(report.path("rows").asLong()).isEqualTo(6000);
        String trainRun = run.step("train").trackingRunId().orElseThrow();
        assertThat(tracking.getRun(trainRun).latestMetrics())
                .filteredOn(m -> m.key().equals("training_rows"))
                .extracting(Metric::value)
                .containsExactly(3000.0);
        try (LoadedModel model = Models.load(project.resolve("out/model"))) {
            assertThat(model.manifest().signature().inputs())
                    .extracting(s -> s.name())
                    .containsExactly("hour", "distance", "month");
            float p = model.predict(List.of(
                            Tensor.ofFloats("hour", new float[] {18}, 1),
                            Tensor.ofFloats("distance", new float[] {800}, 1),
                            Tensor.ofFloats("month", new float[] {2}, 1)))
                    .get(0)
                    .floatAt(0);
            assertThat(p).isBetween(0f, 1f);
        }
        JsonNode version =
                new ObjectMapper().readTree(project.resolve("out/version.json").toFile());
        assertThat(version.path("uri").asText()).isEqualTo("models:/delays/1");
        ModelVersion registered = RegistryStore.on(db, tracking).getModelVersion("delays", "1");
        assertThat(registered.tags())
                .contains(new Tag("team", "ops"), new Tag(RegisterStep.PIPELINE_RUN_TAG, run.id()));
        assertThat(registered.tags())
                .contains(
                        new Tag(RegisterStep.CONTENT_HASH_TAG, ModelPackage.contentHash(project.resolve("out/model"))));
        List<LineageEdge> down = LineageStore.of(db)
                .traverse(LineageUri.run(run.trackingRunId()), Direction.DOWN, 2)
                .edges();
        assertThat(down).extracting(LineageEdge::type).contains(EdgeType.PRODUCED, EdgeType.REGISTERED_AS);
        assertThat(down).extracting(LineageEdge::target).contains(LineageUri.model("delays", 1));
    }

    @Test
    void aFixedSeedGivesTheSameContentHashAndTribuoTrainsToo() throws Exception {
        for (String flavor : List.of("xgboost", "tribuo-logistic")) {
            Pipeline pipeline = Pipeline.parse("name: t\nsteps:\n" + TRAIN.formatted(flavor), project, "cairn.yaml");
            PipelineRunRecord first = engine.run(pipeline, RunOptions.DEFAULTS.force(true));
            String hash = ModelPackage.read(project.resolve("out/model")).contentHash();
            PipelineRunRecord second = engine.run(pipeline, RunOptions.DEFAULTS.force(true));

            assertThat(first.status()).as(first.message().orElse("")).isEqualTo(PipelineStatus.SUCCEEDED);
            assertThat(second.step("train").status()).isEqualTo(StepStatus.SUCCEEDED);
            assertThat(ModelPackage.read(project.resolve("out/model")).contentHash())
                    .as(flavor)
                    .isEqualTo(hash);
        }
    }

    @Test
    void badConfigurationAndAnomaliesFailTheStepWithAClearMessage() throws Exception {
        SchemaInference.infer(project.resolve("flights.csv")).write(project.resolve("schema.json"));
        Files.writeString(project.resolve("broken.csv"), "date,delay\n2001-01-01T07:00,abc\n");
        PipelineRunRecord invalid = engine.run(Pipeline.parse("""
                        name: v
                        steps:
                          validate:
                            uses: validate
                            inputs: {data: broken.csv}
                            with: {schema: schema.json}
                            outputs: {report: out/v.json}
                        """, project, "cairn.yaml"), RunOptions.DEFAULTS);
        PipelineRunRecord typo = engine.run(Pipeline.parse("""
                        name: t
                        steps:
                          train:
                            uses: train
                            inputs: {data: flights.csv}
                            with: {label: "delay > 15", features: [distance], round: 3}
                            outputs: {model: out/m/}
                        """, project, "cairn.yaml"), RunOptions.DEFAULTS);
        PipelineRunRecord noServer = engine.run(Pipeline.parse("""
                        name: r
                        steps:
                          train:
                            uses: train
                            inputs: {data: flights.csv}
                            with: {label: "delay > 15", features: [distance], flavor: forest}
                            outputs: {model: out/m/}
                        """, project, "cairn.yaml"), RunOptions.DEFAULTS);

        assertThat(invalid.status()).isEqualTo(PipelineStatus.FAILED);
        assertThat(invalid.step("validate").message().orElseThrow()).contains("blocking anomalies");
        // The report is written even when the step fails: it says what was wrong.
        assertThat(new ObjectMapper()
                        .readTree(project.resolve("out/v.json").toFile())
                        .path("passed")
                        .asBoolean())
                .isFalse();
        assertThat(typo.step("train").message().orElseThrow()).contains("step 'train': unknown key with.round");
        assertThat(noServer.step("train").message().orElseThrow())
                .contains("with.flavor must be xgboost or tribuo-logistic; got 'forest'");
    }
}
