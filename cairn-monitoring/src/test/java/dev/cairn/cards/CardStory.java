package dev.cairn.cards;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cairn.artifacts.ArtifactPath;
import dev.cairn.artifacts.ArtifactRepository;
import dev.cairn.artifacts.ArtifactRoot;
import dev.cairn.deployments.Deployments;
import dev.cairn.deployments.Routing;
import dev.cairn.deployments.TrafficSplit;
import dev.cairn.evaluation.EvaluationGate;
import dev.cairn.evaluation.GatedEvaluation;
import dev.cairn.evaluation.HoldoutEvaluation;
import dev.cairn.evaluation.Scorer;
import dev.cairn.models.GateFlavor;
import dev.cairn.models.Tensor;
import dev.cairn.monitoring.MonitorResult;
import dev.cairn.monitoring.MonitorSpec;
import dev.cairn.monitoring.Monitors;
import dev.cairn.registry.NewModelVersion;
import dev.cairn.registry.RegistryStore;
import dev.cairn.serving.InferenceLog;
import dev.cairn.serving.InferenceRecord;
import dev.cairn.serving.ServingConfig;
import dev.cairn.store.Database;
import dev.cairn.tracking.DatasetInput;
import dev.cairn.tracking.Metric;
import dev.cairn.tracking.NewRun;
import dev.cairn.tracking.Param;
import dev.cairn.tracking.Tag;
import dev.cairn.tracking.TrackingStore;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * A model version with everything a card can show, recorded through the real stores: a training
 * run with parameters, metrics, a code commit and dataset inputs (hence lineage), a Cairn model
 * package, a gated evaluation over real flights with slices and fairness, a deployment through the
 * {@code champion} alias, and a monitor with two windows (one drifted, firing an alert).
 */
final class CardStory {
    static final Path FLIGHTS = Path.of("..", "examples", "data", "flights-sample-6k.csv");
    static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    static final String MODEL = "delays";
    static final String DEPLOYMENT = "delays-prod";
    static final String MONITOR = "delays-drift";
    static final String TRAINING = "cairn-dataset:/flights/3";
    static final String HOLDOUT = "cairn-dataset:/flights-holdout/1";
    static final String COMMIT = "0123456789abcdef0123456789abcdef01234567";

    /** What the story recorded, for the assertions. */
    record Recorded(String runId, GatedEvaluation evaluation, List<MonitorResult> windows) {}

    private CardStory() {}

    static Recorded record(
            Database db, ArtifactRepository artifacts, Deployments deployments, Monitors monitors, Path temp)
            throws IOException {
        TrackingStore tracking = TrackingStore.on(db);
        RegistryStore registry = RegistryStore.on(db, tracking);
        String runId = trainingRun(tracking, artifacts, temp);
        registry.createRegisteredModel(
                MODEL,
                List.of(
                        new Tag(ModelCards.INTENDED_USE_TAG, "Rank flights by delay risk for ground staffing."),
                        new Tag(ModelCards.OWNERS_TAG, "ops-team, alice")),
                "Flight delay classifier");
        registry.createModelVersion(new NewModelVersion(
                MODEL,
                "runs:/" + runId + "/model",
                runId,
                "",
                "hour-of-day model",
                List.of(new Tag(ModelCards.LICENSE_TAG, "Apache-2.0"))));
        registry.setRegisteredModelAlias(MODEL, "champion", "1");
        GatedEvaluation evaluation = evaluate();
        EvaluationRecords.record(registry, tracking, artifacts, MODEL, 1, runId, evaluation, HOLDOUT);
        deployments.create(
                DEPLOYMENT,
                new Routing(List.of(new TrafficSplit("models:/" + MODEL + "@champion", "1", 100)), "", List.of(), null),
                "alice");
        return new Recorded(runId, evaluation, monitor(db, monitors, temp));
    }

    private static String trainingRun(TrackingStore tracking, ArtifactRepository artifacts, Path temp)
            throws IOException {
        String experiment = tracking.createExperiment("delays", Optional.empty(), List.of());
        String runId = tracking.createRun(new NewRun(
                        experiment,
                        "alice",
                        T0.toEpochMilli(),
                        Optional.of("train-hours"),
                        List.of(new Tag("mlflow.source.git.commit", COMMIT))))
                .info()
                .runId();
        tracking.logBatch(
                runId,
                List.of(new Metric("train_auc", 0.8125, T0.toEpochMilli(), 3)),
                List.of(new Param("max_depth", "6"), new Param("learning_rate", "0.1")),
                List.of());
        tracking.logInputs(
                runId,
                List.of(
                        input("flights", "sha256:aaa", TRAINING, "training"),
                        input("flights-holdout", "sha256:bbb", HOLDOUT, "evaluation")));
        Path model = GateFlavor.write(temp.resolve("package"));
        try (Stream<Path> files = Files.list(model)) {
            for (Path file : files.toList()) {
                try (InputStream in = Files.newInputStream(file)) {
                    artifacts.put(
                            ArtifactRoot.ofRun(experiment, runId), ArtifactPath.of("model/" + file.getFileName()), in);
                }
            }
        }
        return runId;
    }

    private static DatasetInput input(String name, String digest, String source, String context) {
        return new DatasetInput(
                new DatasetInput.Dataset(name, digest, "cairn", source, "", ""),
                List.of(new Tag("mlflow.data.context", context)));
    }

    /** An hour-of-day candidate against a distance baseline, sliced and judged for fairness by origin. */
    static GatedEvaluation evaluate() {
        EvaluationGate gate = EvaluationGate.parse("""
                metrics:
                  - {metric: auc, min: 0.55}
                changes:
                  - {metric: auc, absolute: 0.0}
                slices:
                  column: origin
                  min_size: 150
                  thresholds:
                    - {metric: auc, min: 0.45}
                fairness:
                  attribute: origin
                  thresholds:
                    - {metric: demographic_parity_difference, max: 0.9}
                """);
        Scorer hours = Scorer.perRow(row -> {
            String date = row.text("date").orElseThrow();
            int hour = Integer.parseInt(date.substring(11, 13));
            return 0.1 + 0.7 * hour / 23.0;
        });
        Scorer distance = Scorer.perRow(row -> Math.min(1.0, row.number("distance") / 3000.0));
        return HoldoutEvaluation.binary(FLIGHTS, "delay > 15")
                .candidate(hours)
                .baseline(distance)
                .bless(gate);
    }

    /** January flights as the reference; a first window like it, a second one shifted by an hour of delay. */
    private static List<MonitorResult> monitor(Database db, Monitors monitors, Path temp) throws IOException {
        List<String> lines = Files.readAllLines(FLIGHTS);
        List<String[]> january = new ArrayList<>();
        for (String line : lines.subList(1, lines.size())) {
            if (line.startsWith("2001-01")) {
                january.add(line.split(","));
            }
        }
        StringBuilder reference = new StringBuilder("delay,distance,origin\n");
        for (int i = 0; i < january.size(); i += 2) {
            String[] f = january.get(i);
            reference
                    .append(f[1])
                    .append(',')
                    .append(f[2])
                    .append(',')
                    .append(f[3])
                    .append('\n');
        }
        Path file = temp.resolve("reference.csv");
        Files.writeString(file, reference);
        try (InferenceLog log = InferenceLog.open(db, ServingConfig.defaults())) {
            for (int i = 1; i < january.size(); i += 2) {
                log.accept(record("a" + i, january.get(i), T0.plusSeconds(i), 0));
                log.accept(record(
                        "b" + i, january.get(i), T0.plus(Duration.ofHours(1)).plusSeconds(i), 60));
            }
            log.flush(30_000);
        }
        String spec = """
                {"name": "%s", "deployment": "%s", "reference": "%s", "features": ["delay", "distance", "origin"],
                 "window_seconds": 3600, "rules": [{"name": "drift", "kind": "drift_share_above", "threshold": 0.3}]}
                """.formatted(MONITOR, DEPLOYMENT, file.toString().replace("\\", "\\\\"));
        monitors.create(MonitorSpec.fromJson(new ObjectMapper().readTree(spec)));
        return List.of(
                monitors.run(MONITOR, T0.plus(Duration.ofHours(1))),
                monitors.run(MONITOR, T0.plus(Duration.ofHours(2))));
    }

    private static InferenceRecord record(String id, String[] f, Instant at, double delayShift) {
        return new InferenceRecord(
                id,
                DEPLOYMENT,
                DEPLOYMENT,
                "1",
                at,
                100,
                "OK",
                List.of(
                        Tensor.ofDoubles("delay", new double[] {Double.parseDouble(f[1]) + delayShift}, 1),
                        Tensor.ofDoubles("distance", new double[] {Double.parseDouble(f[2])}, 1),
                        Tensor.ofStrings("origin", new String[] {f[3]}, 1)),
                List.of(Tensor.ofDoubles("p", new double[] {0.5}, 1)),
                "");
    }
}
