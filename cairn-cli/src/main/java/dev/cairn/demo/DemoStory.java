package dev.cairn.demo;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cairn.artifacts.ArtifactRepository;
import dev.cairn.artifacts.BlobStore;
import dev.cairn.core.CairnException;
import dev.cairn.core.ErrorCode;
import dev.cairn.datasets.DatasetVersion;
import dev.cairn.datasets.DatasetVersions;
import dev.cairn.deployments.ModelSource;
import dev.cairn.evaluation.Blessing;
import dev.cairn.evaluation.PromotionDecision;
import dev.cairn.lineage.Direction;
import dev.cairn.lineage.LineageStore;
import dev.cairn.lineage.LineageUri;
import dev.cairn.monitoring.MonitorResult;
import dev.cairn.monitoring.ReferenceDatasets;
import dev.cairn.monitoring.alerts.Alert;
import dev.cairn.pipelines.execution.PipelineRunRecord;
import dev.cairn.pipelines.execution.RunOptions;
import dev.cairn.pipelines.execution.StepExplanation;
import dev.cairn.pipelines.execution.StepRunRecord;
import dev.cairn.pipelines.execution.StepStatus;
import dev.cairn.registry.ModelVersion;
import dev.cairn.registry.RegistryStore;
import dev.cairn.store.Database;
import dev.cairn.tracking.Tag;
import dev.cairn.tracking.TrackingStore;
import dev.cairn.validation.Schema;
import dev.cairn.validation.SchemaInference;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.stream.Collectors;

/**
 * The whole life of a flight-delay model on a running Cairn server, told in numbered stages:
 * version the data and run the training pipeline (validate, features, train, evaluate against the
 * champion, register, deploy), watch the deployment with a drift monitor while later months are
 * replayed as live traffic, let the monitor's alert start the same pipeline, judge the retrained
 * model's canary and promote it; a repeated alert with unchanged data shows the step cache.
 */
public final class DemoStory {
    public static final String EXPERIMENT = "flights-demo";
    public static final String MODEL = "flight-delays";
    public static final String DATASET = "flights";
    /** The dataset of the encoded training features, the drift monitor's reference. */
    public static final String FEATURES_DATASET = "flights-features";

    public static final String MONITOR = "flight-delays-drift";
    /** The first model trains on months 1-3; each later month arrives as traffic, then as labelled data. */
    static final int FIRST_MONTH = 1;

    static final int TRAINING_MONTHS = 3;
    static final int LAST_MONTH = 6;
    public static final int STAGES = 6;

    private final Setting setting;
    private final PrintWriter out;
    private final LineageStore lineage;
    private final RegistryStore registry;
    private final DatasetVersions datasets;
    private final Path dataDir;
    private final Set<String> announced = new HashSet<>();
    // the explanation says what each step of a cached re-run does; its step lines would repeat it
    private volatile boolean quietSteps;

    /**
     * What the story runs on: the server's URL and REST API, its database and blobs, a work folder,
     * the folder monitor reference files must live in (inside the Cairn home), the flights file, and how many flights of each
     * month to replay at most.
     */
    public record Setting(
            String url,
            Rest rest,
            Database database,
            BlobStore blobs,
            Path work,
            Path references,
            Path data,
            int replayPerMonth) {}

    /** What happened, for the caller to print or check. */
    public record Outcome(
            String firstPipelineRun,
            Optional<String> retrainPipelineRun,
            Optional<String> cachedPipelineRun,
            String servingVersion,
            String servingModelUri,
            String lineage) {}

    private DemoStory(Setting setting, PrintWriter out) {
        this.setting = setting;
        this.out = out;
        this.lineage = LineageStore.of(setting.database());
        this.registry = RegistryStore.on(setting.database(), TrackingStore.on(setting.database()));
        this.datasets = new DatasetVersions(setting.database(), setting.blobs());
        this.dataDir = setting.work().resolve("data");
    }

    /** Runs every stage after the server start (stage 1, done by the caller) and returns what happened. */
    public static Outcome tell(Setting setting, PrintWriter out) {
        return new DemoStory(setting, out).tell();
    }

    /** Prints the header of stage {@code number}. */
    public static void stage(PrintWriter out, int number, String text) {
        out.printf(Locale.ROOT, "%n[%d/%d] %s%n", number, STAGES, text);
        out.flush();
    }

    private Outcome tell() {
        stage(out, 2, "Versioning the training data (months 1-3 of 2001) and learning the feature encoder");
        Path project = setting.work().resolve("pipeline");
        Path first = monthsFile(FIRST_MONTH, TRAINING_MONTHS);
        DatasetVersion trainVersion = version(first, "months 1-3 of 2001: the first training data");
        Schema schema = SchemaInference.infer(first);
        createDirectories(project);
        schema.write(project.resolve("schema.json"));
        Flights.Encoder encoder = Flights.Encoder.learn(first);
        StepParts.write(project.resolve("encoder.json"), encoder);
        writeString(project.resolve(TrainingPipeline.GATE_FILE), TrainingPipeline.GATE);
        say(
                "schema inferred from %s (%d columns) for the validate step; delay rates of %d origins and %d destinations learnt",
                trainVersion.ref(),
                schema.columns().size(),
                encoder.origins().size(),
                encoder.destinations().size());

        StepParts parts = new StepParts(registry, lineage, datasets, setting.rest());
        ModelSource models = ModelSource.registry(
                registry,
                ArtifactRepository.over(setting.database(), setting.blobs()),
                setting.work().resolve("models"));
        ChampionInput champion =
                new ChampionInput(registry, models, setting.work().resolve("no-champion"));
        try (TrainingPipeline pipeline = TrainingPipeline.open(
                        setting.database(), setting.blobs(), parts, champion, setting.work(), this::stepFinished);
                DriftWatch watch =
                        DriftWatch.open(setting.database(), pipeline.triggers(), lineage, referenceDatasets())) {
            return tell(pipeline, watch, encoder);
        }
    }

    private Outcome tell(TrainingPipeline pipeline, DriftWatch watch, Flights.Encoder encoder) {
        stage(out, 3, "Running the training pipeline: " + String.join(" -> ", TrainingPipeline.STEPS));
        say("each step is a tracked run nested under the pipeline's run; steps run from the step cache when unchanged");
        PipelineRunRecord firstRun = pipeline.engine().run(pipeline.pipeline(), RunOptions.DEFAULTS);
        requireSucceeded(firstRun);
        reportGate(pipeline);
        String stable = stableVersion();
        say(
                "deployment %s serves version %s; alias 'champion' -> %s",
                LineageUri.deployment(MODEL), stable, champion());

        stage(out, 4, "Watching the deployment with a drift monitor");
        DatasetVersion trained = version(
                pipeline.output("features/train.parquet"),
                FEATURES_DATASET,
                "the features model version " + stable + " was trained on");
        watch.watch(trained.uri());
        say(
                "monitor %s: the %d features of served requests against %s, the training features; "
                        + "alert when more than %.0f%% drift, and the alert starts the pipeline (retraining)",
                MONITOR, Flights.Encoder.FEATURES.length, trained.uri(), DriftWatch.ALERT_DRIFT_SHARE * 100);

        stage(out, 5, "Replaying months 4-6 as live traffic through POST /v2/models/" + MODEL + "/infer");
        Replay replay =
                new Replay(setting.rest(), encoder, UUID.randomUUID().toString().substring(0, 8), out);
        Optional<PipelineRunRecord> retrain = Optional.empty();
        Optional<String> canary = Optional.empty();
        Optional<String> cached = Optional.empty();
        for (int month = TRAINING_MONTHS + 1; month <= LAST_MONTH; month++) {
            List<Flights.Flight> flights = Flights.sample(monthsFile(month, month), setting.replayPerMonth());
            Replay.Served served = replay.serve("2001-0" + month, flights);
            canary = canary.flatMap(this::judgeCanary);
            replay.sendFeedback(served);
            version(
                    monthsFile(month - TRAINING_MONTHS + 1, month),
                    "months " + (month - TRAINING_MONTHS + 1) + "-" + month + " of 2001: the latest labelled traffic");
            report(watch.check(), watch);
            for (CompletableFuture<PipelineRunRecord> started : watch.newRetrainings()) {
                PipelineRunRecord record = awaitRetraining(started);
                retrain = Optional.of(record);
                reportGate(pipeline);
                canary = canaryVersion();
                cached = Optional.of(rerunUnchanged(pipeline).id());
            }
        }
        while (canary.isPresent()) {
            // the alert came with the last month: the canary needs traffic of its own to be judged
            List<Flights.Flight> more = Flights.sample(monthsFile(LAST_MONTH, LAST_MONTH), setting.replayPerMonth());
            replay.serve("2001-06+", more);
            canary = canary.flatMap(this::judgeCanary);
        }

        String serving = stableVersion();
        String modelUri = LineageUri.model(MODEL, Integer.parseInt(serving));
        String tree = lineage.traverse(modelUri, Direction.UP, 12).renderTree();
        return new Outcome(firstRun.id(), retrain.map(PipelineRunRecord::id), cached, serving, modelUri, tree);
    }

    /** A second retraining before any new data or champion: every step's key is unchanged. */
    private PipelineRunRecord rerunUnchanged(TrainingPipeline pipeline) {
        say("the same alert again before new data arrives: the pipeline explains, then runs");
        for (StepExplanation e : pipeline.engine().explain(pipeline.pipeline(), Map.of())) {
            say("  %-9s %-4s %s", e.step(), e.verdict(), String.join("; ", e.reasons()));
        }
        long started = System.nanoTime();
        quietSteps = true;
        PipelineRunRecord again;
        try {
            again = pipeline.engine()
                    .run(
                            pipeline.pipeline(),
                            RunOptions.DEFAULTS.tags(Map.of("cairn.trigger", "alert:" + MONITOR + ":again")));
        } finally {
            quietSteps = false;
        }
        requireSucceeded(again);
        long hits = again.steps().stream()
                .filter(s -> s.status() == StepStatus.CACHED)
                .count();
        say(
                "%d of %d steps came from the step cache in %.2f s: nothing was trained, registered or deployed twice",
                hits, again.steps().size(), (System.nanoTime() - started) / 1e9);
        return again;
    }

    private PipelineRunRecord awaitRetraining(CompletableFuture<PipelineRunRecord> started) {
        say("the alert started the training pipeline (retraining on %s)", latest().ref());
        try {
            PipelineRunRecord record = started.get();
            requireSucceeded(record);
            return record;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CairnException(ErrorCode.INTERNAL_ERROR, "interrupted while retraining", e);
        } catch (ExecutionException e) {
            throw new CairnException(ErrorCode.INTERNAL_ERROR, "retraining failed: " + e.getCause(), e.getCause());
        }
    }

    /** Judges the canary now; promoted, the version becomes the champion if its blessing allows. */
    private Optional<String> judgeCanary(String version) {
        JsonNode verdicts = setting.rest().call("POST", "/api/v1/deployments/" + MODEL + "/judge", null);
        for (JsonNode v : verdicts.path("verdicts")) {
            say(
                    "canary judge: version %s, %d requests, error rate %.3f, p99 %.1f ms -> %s",
                    v.path("version").asText(),
                    v.path("requests").asLong(),
                    v.path("error_rate").asDouble(),
                    v.path("p99_millis").asDouble(),
                    v.path("outcome").asText());
        }
        String stable = stableVersion();
        if (stable.equals(version)) {
            ModelVersion promoted = registry.getModelVersion(MODEL, version);
            PromotionDecision decision = PromotionDecision.of(tags(promoted.tags()));
            if (!decision.allowed()) {
                throw CairnException.invalid("version " + version + " was promoted but " + decision.reason());
            }
            boolean moved = champion().equals(version);
            if (!moved) {
                registry.setRegisteredModelAlias(MODEL, "champion", version);
            }
            say(
                    "promoted: version %s serves all traffic; alias 'champion' -> %s%s (%s)",
                    version, version, moved ? ", moved by the server on promotion" : "", decision.reason());
            return Optional.empty();
        }
        if (canaryVersion().isEmpty()) {
            say("the canary was rolled back; version %s keeps serving", stable);
            return Optional.empty();
        }
        return Optional.of(version);
    }

    private void report(MonitorResult result, DriftWatch watch) {
        List<String> drifted = DriftWatch.drifted(result);
        say(
                "monitor window: %d requests, %d with ground truth; drift share %.2f (%s)%s",
                result.rowCount(),
                result.labeledCount(),
                result.driftShare(),
                drifted.isEmpty() ? "no feature drifted" : "drifted: " + String.join(", ", drifted),
                result.metric("auc").isPresent()
                        ? String.format(
                                Locale.ROOT,
                                "; served AUC %.3f",
                                result.metric("auc").getAsDouble())
                        : "");
        for (Alert alert : watch.alerts()) {
            if (alert.state() == Alert.State.FIRING && announced.add(alert.id())) {
                say("ALERT %s fired: %s", alert.rule(), alert.message());
            }
        }
    }

    private void reportGate(TrainingPipeline pipeline) {
        JsonNode evaluation = StepParts.read(pipeline.output("evaluation.json"));
        JsonNode overall = evaluation.path("evaluation").path("overall");
        say(
                "evaluation on %d holdout flights: candidate AUC %.4f%s",
                overall.path("candidate").path("count").asLong(),
                overall.path("candidate").path("auc").asDouble(),
                overall.path("baseline").isMissingNode()
                        ? " (no champion yet)"
                        : String.format(
                                Locale.ROOT,
                                ", champion AUC %.4f on the same flights",
                                overall.path("baseline").path("auc").asDouble()));
        for (JsonNode check : evaluation.path("blessing").path("checks")) {
            say("  %-7s %s", check.path("status").asText(), check.path("reason").asText());
        }
        String version =
                StepParts.read(pipeline.output("version.json")).path("version").asText();
        JsonNode deployment = StepParts.read(pipeline.output("deployment.json"));
        Map<String, String> tags = tags(registry.getModelVersion(MODEL, version).tags());
        say(
                "gate: %s (%s), recorded on %s version %s; deploy: %s",
                tags.get(Blessing.TAG),
                tags.get(Blessing.SUMMARY_TAG),
                MODEL,
                version,
                deployment.path("action").asText());
    }

    private void stepFinished(String pipelineRunId, StepRunRecord step) {
        if (quietSteps) {
            return;
        }
        String took = step.startTime().isPresent() && step.endTime().isPresent()
                ? String.format(
                        Locale.ROOT,
                        "%.1f s",
                        (step.endTime().getAsLong() - step.startTime().getAsLong()) / 1000.0)
                : "";
        String how = step.status() == StepStatus.CACHED
                ? "from the cache"
                : step.status().name().toLowerCase(Locale.ROOT);
        synchronized (out) {
            say(
                    "step %-9s %-15s %6s  run %s",
                    step.step(), how, took, step.trackingRunId().orElse("-"));
        }
    }

    private void requireSucceeded(PipelineRunRecord record) {
        if (record.status() != dev.cairn.pipelines.execution.PipelineStatus.SUCCEEDED) {
            throw new CairnException(
                    ErrorCode.INTERNAL_ERROR,
                    "pipeline run " + record.id() + " " + record.status() + " at step "
                            + record.failedStep().orElse("?") + ": "
                            + record.message().orElse(""));
        }
    }

    private String stableVersion() {
        return deployment().path("routing").path("stable").asText();
    }

    private Optional<String> canaryVersion() {
        JsonNode routing = deployment().path("routing");
        String stable = routing.path("stable").asText();
        for (JsonNode split : routing.path("splits")) {
            if (!split.path("version").asText().equals(stable)
                    && split.path("weight").asInt() > 0) {
                return Optional.of(split.path("version").asText());
            }
        }
        return Optional.empty();
    }

    private JsonNode deployment() {
        return setting.rest().call("GET", "/api/v1/deployments/" + MODEL, null);
    }

    private String champion() {
        return Integer.toString(
                registry.getModelVersionByAlias(MODEL, "champion").version());
    }

    private DatasetVersion latest() {
        return datasets.resolve(DATASET);
    }

    private Path monthsFile(int from, int to) {
        Path file = dataDir.resolve(String.format(Locale.ROOT, "flights-2001-%02d-%02d.parquet", from, to));
        if (!Files.isRegularFile(file)) {
            long rows = Flights.writeMonths(setting.data(), from, to, file);
            if (rows == 0) {
                throw CairnException.invalid(
                        "flights data " + setting.data() + " has no flights in months " + from + "-" + to);
            }
        }
        return file;
    }

    private DatasetVersion version(Path file, String message) {
        return version(file, DATASET, message);
    }

    private DatasetVersion version(Path file, String dataset, String message) {
        DatasetVersions.AddResult added = datasets.add(new DatasetVersions.AddRequest(file, dataset, message));
        DatasetVersion version = added.version();
        say(
                "dataset version %s (%s, %d flights, id %s)%s",
                version.ref(),
                message,
                Flights.count(file),
                version.shortId(),
                added.created() ? "" : ", already recorded");
        return version;
    }

    private static Map<String, String> tags(List<Tag> tags) {
        return tags.stream().collect(Collectors.toMap(Tag::key, Tag::value, (a, b) -> b));
    }

    private static void writeString(Path file, String text) {
        try {
            Files.writeString(file, text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void createDirectories(Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Dataset versions the monitor reads, cached in the Cairn home (the folder that holds the references folder). */
    private ReferenceDatasets referenceDatasets() {
        return ReferenceDatasets.inHome(
                setting.blobs(), setting.references().toAbsolutePath().getParent());
    }

    private void say(String format, Object... args) {
        out.println("      " + String.format(Locale.ROOT, format, args));
        out.flush();
    }
}
