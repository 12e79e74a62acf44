package dev.cairn.demo;

import dev.cairn.client.ActiveRun;
import dev.cairn.client.Experiment;
import dev.cairn.datasets.DatasetVersion;
import dev.cairn.drift.DriftReport;
import dev.cairn.lineage.EdgeType;
import dev.cairn.lineage.LineageEdge;
import dev.cairn.lineage.LineageStore;
import dev.cairn.lineage.LineageUri;
import dev.cairn.models.ModelManifest;
import dev.cairn.validation.ValidationResult;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** The demo's tracked runs on the server: training runs with their lineage, and one run per replayed month. */
final class TrackedRuns implements AutoCloseable {
    private final Experiment experiment;
    private final Path work;
    private final LineageStore lineage;
    private final Map<String, ActiveRun> open = new HashMap<>();
    private final Map<Integer, Replay.Served> served = new HashMap<>();
    private final Map<Integer, ValidationResult> checks = new HashMap<>();

    TrackedRuns(Experiment experiment, Path work, LineageStore lineage) {
        this.experiment = experiment;
        this.work = work;
        this.lineage = lineage;
    }

    String experimentId() {
        return experiment.id();
    }

    /**
     * Trains on four fifths of {@code flights} and scores the last fifth, in a run that stays open
     * until {@link #bless} records the verdict.
     */
    Candidate train(String name, List<Flights.Flight> flights, DatasetVersion data, Optional<List<Integer>> trigger) {
        List<Flights.Flight> training = Flights.holdout(flights, false);
        List<Flights.Flight> holdout = Flights.holdout(flights, true);
        ActiveRun run = experiment.startRun(name);
        open.put(run.id(), run);
        run.logParams(DelayModel.PARAMS)
                .logParam("num_boost_round", Integer.toString(DelayModel.ROUNDS))
                .logParam("features", String.join(",", Flights.Encoder.FEATURES))
                .logParam("label", "delay > 15")
                .logParam("dataset", data.ref())
                .logParam("dataset_id", data.id())
                .logParam("train_rows", Integer.toString(training.size()))
                .logParam("holdout_rows", Integer.toString(holdout.size()))
                .setTag("cairn.dataset", data.uri());
        trigger.ifPresent(months -> run.setTag("cairn.triggered_by", LineageUri.monitor(DemoStory.MONITOR))
                .setTag("drifted_months", months.toString()));
        DelayModel model = DelayModel.train(training);
        Path directory = Champion.directory(work, run.id());
        ModelManifest manifest = model.save(directory.resolve("package"));
        Champion.saveEncoder(directory, model.encoder());
        float[] scores = model.predict(holdout);
        float[] labels = Flights.Encoder.labels(holdout);
        Candidate candidate = new Candidate(
                run.id(),
                model,
                directory.resolve("package"),
                manifest.contentHash(),
                training.size(),
                holdout.size(),
                DelayModel.auc(scores, labels),
                DelayModel.accuracy(scores, labels));
        run.logMetric("holdout_auc", candidate.auc())
                .logMetric("holdout_accuracy", candidate.accuracy())
                .logArtifacts(directory.resolve("package"), "model")
                .logArtifact(directory.resolve("features.json"), "features")
                .setTag("cairn.model.content_hash", manifest.contentHash());
        lineage.record(List.of(
                LineageEdge.of(data.uri(), EdgeType.CONSUMED, LineageUri.run(run.id()))
                        .withAttributes(Map.of("digest", data.id(), "name", data.name())),
                LineageEdge.of(LineageUri.run(run.id()), EdgeType.PRODUCED, LineageUri.artifact(run.id(), "model"))));
        return candidate;
    }

    void bless(Candidate candidate, boolean blessed, Optional<Double> championAuc) {
        ActiveRun run = open.remove(candidate.runId());
        run.setTag("cairn.blessing", blessed ? "BLESSED" : "NOT_BLESSED")
                .logParam(
                        "gate",
                        String.format(
                                Locale.ROOT,
                                "holdout_auc >= %.2f%s",
                                DemoStory.MIN_AUC,
                                championAuc.isPresent() ? " and >= champion - " + DemoStory.AUC_TOLERANCE : ""));
        championAuc.ifPresent(auc -> run.logMetric("champion_holdout_auc", auc));
        run.close();
    }

    void logServed(int month, Replay.Served result, ValidationResult check) {
        served.put(month, result);
        checks.put(month, check);
    }

    /** One run per replayed month: what serving saw and how far the month drifted. */
    void logDrift(int month, DriftReport report) {
        try (ActiveRun run = experiment.startRun(String.format(Locale.ROOT, "replay-2001-%02d", month))) {
            run.logParam("month", Integer.toString(month))
                    .setTag("cairn.monitor", LineageUri.monitor(DemoStory.MONITOR));
            run.logMetric("drift_share", report.driftShare())
                    .logMetric("drifted_columns", report.driftedColumns())
                    .logMetric("dataset_drift", report.datasetDrift() ? 1 : 0);
            Replay.Served result = served.get(month);
            if (result != null) {
                run.logMetric("served_flights", result.flights())
                        .logMetric("served_accuracy", result.accuracy())
                        .logMetric("served_auc", result.auc())
                        .setTag("served_by_versions", String.join(",", result.versions()));
            }
            ValidationResult check = checks.get(month);
            if (check != null) {
                run.logMetric("schema_anomalies", check.anomalies().size());
            }
        }
    }

    @Override
    public void close() {
        open.values().forEach(ActiveRun::close);
        open.clear();
    }
}
