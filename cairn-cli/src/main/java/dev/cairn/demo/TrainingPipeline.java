package dev.cairn.demo;

import dev.cairn.artifacts.ArtifactRepository;
import dev.cairn.artifacts.BlobStore;
import dev.cairn.pipelines.Pipeline;
import dev.cairn.pipelines.Triggers;
import dev.cairn.pipelines.builtin.BuiltinSteps;
import dev.cairn.pipelines.builtin.StepServices;
import dev.cairn.pipelines.execution.InputResolver;
import dev.cairn.pipelines.execution.PipelineEngine;
import dev.cairn.pipelines.execution.StepListener;
import dev.cairn.pipelines.schedule.PipelineTriggers;
import dev.cairn.store.Database;
import dev.cairn.tracking.TrackingStore;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The training pipeline of the demo, the same for the first model and for every retraining:
 * validate, features, train, evaluate against the champion, register, deploy. It reads the latest
 * version of the {@code flights} dataset, and an alert of the drift monitor starts it.
 */
final class TrainingPipeline implements AutoCloseable {
    static final String NAME = DemoStory.EXPERIMENT;
    static final List<String> STEPS = List.of("validate", "features", "train", "evaluate", "register", "deploy");
    static final String GATE_FILE = "gate.yaml";
    /**
     * The gate: delays are hard to predict from schedule and route alone, so the floor asks for
     * clearly better than chance; a candidate may be slightly worse than the champion on the same
     * holdout (noise) but not much, in no origin or haul slice much worse, and its predicted-delay
     * rate may differ across short, medium and long hauls by a tenth at most.
     */
    static final String GATE = """
            metrics:
              - {metric: auc, min: 0.55}
            changes:
              - {metric: auc, absolute: 0.02}
            slices:
              columns: [origin, haul]
              min_size: 100
              thresholds:
                - {metric: auc, max_degradation: 0.10}
            fairness:
              attribute: haul
              thresholds:
                - {metric: demographic_parity_difference, max: 0.10}
            """;
    // shallow, regularized trees: a few thousand flights overfit deeper ones
    private static final Map<String, Object> TRAIN = Map.of(
            "flavor",
            "xgboost",
            "label",
            "delayed = 1",
            "features",
            List.of(Flights.Encoder.FEATURES),
            "params",
            Map.of("max_depth", 2, "eta", 0.1, "min_child_weight", 20),
            "rounds",
            100,
            "seed",
            42);

    private final PipelineEngine engine;
    private final Pipeline pipeline;
    private final ExecutorService launches;
    private final PipelineTriggers triggers;

    private TrainingPipeline(PipelineEngine engine, Pipeline pipeline) {
        this.engine = engine;
        this.pipeline = pipeline;
        this.launches = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "demo-retraining");
            t.setDaemon(true);
            return t;
        });
        this.triggers = new PipelineTriggers(engine, launches);
        triggers.register(pipeline);
    }

    /**
     * The engine with Cairn's built-in steps (validate, train, evaluate, register) given the server's
     * database and artifacts, the demo's own steps (flight features with the shared encoder, and the
     * canary deployment through the server's REST API) and the {@code champion:} input.
     */
    static TrainingPipeline open(
            Database database,
            BlobStore blobs,
            StepParts parts,
            InputResolver champion,
            Path work,
            StepListener listener) {
        BuiltinSteps steps = BuiltinSteps.discovered()
                .provide(StepServices.none()
                        .with(Database.class, database)
                        .with(ArtifactRepository.class, ArtifactRepository.over(database, blobs)))
                .register(new DataSteps.Features(parts))
                .register(new CanaryDeployStep(parts));
        PipelineEngine engine = PipelineEngine.builder(database, TrackingStore.on(database), blobs)
                .builtins(steps)
                .inputResolver(champion)
                .logRoot(work.resolve("pipelines").resolve("logs"))
                .datasetCheckouts(work.resolve("pipelines").resolve("datasets"))
                .parallelism(2)
                .listener(listener)
                .build();
        return new TrainingPipeline(engine, definition(work.resolve("pipeline")));
    }

    private static Pipeline definition(Path project) {
        String data = "dataset:" + DemoStory.DATASET;
        return Pipeline.builder(NAME)
                .projectDir(project)
                .triggers(new Triggers(List.of(), List.of(DemoStory.MONITOR), List.of()))
                .step("validate", s -> s.uses("validate", Map.of("schema", "schema.json"))
                        .input("data", data)
                        .code("schema.json")
                        .output("report", "out/validation.json"))
                .step("features", s -> s.uses("flights-features", Map.of())
                        .input("data", data)
                        .input("encoder", "encoder.json")
                        .output("train", "out/features/train.parquet")
                        .output("holdout", "out/features/holdout.parquet")
                        .after("validate"))
                .step("train", s -> s.uses("train", TRAIN)
                        .input("data", "steps.features.outputs.train")
                        .outputDir("model", "out/model"))
                .step("evaluate", s -> s.uses(
                                "evaluate",
                                Map.of(
                                        "champion",
                                        "models:/" + DemoStory.MODEL + "@champion",
                                        "gate",
                                        GATE_FILE,
                                        "fail_when_not_blessed",
                                        false))
                        .input("model", "steps.train.outputs.model")
                        .input("holdout", "steps.features.outputs.holdout")
                        // not read by the step: it puts the champion's content into the step's cache key
                        .input("champion", ChampionInput.PREFIX + DemoStory.MODEL)
                        .code(GATE_FILE)
                        .output("evaluation", "out/evaluation.json"))
                .step("register", s -> s.uses(
                                "register",
                                Map.of(
                                        "name",
                                        DemoStory.MODEL,
                                        "refuse_not_blessed",
                                        false,
                                        "description",
                                        "XGBoost flight-delay classifier, gated against the champion"))
                        .input("model", "steps.train.outputs.model")
                        .input("evaluation", "steps.evaluate.outputs.evaluation")
                        .output("version", "out/version.json"))
                .step("deploy", s -> s.uses("flights-deploy", Map.of())
                        .input("version", "steps.register.outputs.version")
                        .output("deployment", "out/deployment.json"))
                .build();
    }

    PipelineEngine engine() {
        return engine;
    }

    Pipeline pipeline() {
        return pipeline;
    }

    /** The hook the drift monitor's StartPipeline action fires. */
    PipelineTriggers triggers() {
        return triggers;
    }

    /** Where the steps' outputs of the latest execution are. */
    Path output(String file) {
        return pipeline.projectDir().resolve("out").resolve(file);
    }

    @Override
    public void close() {
        launches.shutdownNow();
        engine.close();
    }
}
