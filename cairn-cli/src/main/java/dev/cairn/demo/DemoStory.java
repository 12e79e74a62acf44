package dev.cairn.demo;

import dev.cairn.artifacts.BlobStore;
import dev.cairn.client.Cairn;
import dev.cairn.core.CairnException;
import dev.cairn.datasets.DatasetVersion;
import dev.cairn.datasets.DatasetVersions;
import dev.cairn.drift.DriftOptions;
import dev.cairn.drift.DriftReport;
import dev.cairn.drift.TableDrift;
import dev.cairn.lineage.Direction;
import dev.cairn.lineage.EdgeType;
import dev.cairn.lineage.LineageEdge;
import dev.cairn.lineage.LineageStore;
import dev.cairn.lineage.LineageUri;
import dev.cairn.registry.NewModelVersion;
import dev.cairn.registry.RegistryStore;
import dev.cairn.serving.InferenceEngine;
import dev.cairn.store.Database;
import dev.cairn.tracking.TrackingStore;
import dev.cairn.validation.Schema;
import dev.cairn.validation.SchemaInference;
import dev.cairn.validation.SchemaValidator;
import dev.cairn.validation.ValidationResult;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The whole life of a flight-delay model on a running Cairn server, told in numbered stages:
 * version and validate the data, train and track, gate, register and serve, replay later months
 * as live traffic over HTTP, watch drift, retrain, gate against the champion and promote.
 */
public final class DemoStory {
    public static final String EXPERIMENT = "flights-demo";
    public static final String MODEL = "flight-delays";
    public static final String DATASET = "flights";
    public static final String MONITOR = "flight-delays-drift";
    static final List<String> DRIFT_COLUMNS = List.of("delay", "distance", "origin", "destination");
    // delays are hard to predict from schedule and route alone: the floor asks for clearly better than chance
    static final double MIN_AUC = 0.55;
    // a retrained model may be this much worse than the champion on the same holdout and still win
    static final double AUC_TOLERANCE = 0.01;
    private static final int STAGES = 9;

    private final Setting setting;
    private final PrintWriter out;
    private final LineageStore lineage;
    private final RegistryStore registry;
    private final DatasetVersions datasets;

    /** What the story runs on: the server's URL, its inference engine and stores, a work folder and the data. */
    public record Setting(
            String url, InferenceEngine engine, Database database, BlobStore blobs, Path work, Path data) {}

    /** What happened, for the caller to print or check. */
    public record Outcome(
            String experimentId,
            String trainingRunId,
            Optional<String> retrainRunId,
            String servingVersion,
            Map<Integer, Double> driftShare,
            List<Integer> driftedMonths,
            String servingModelUri,
            String lineage) {}

    private DemoStory(Setting setting, PrintWriter out) {
        this.setting = setting;
        this.out = out;
        this.lineage = LineageStore.of(setting.database());
        this.registry = RegistryStore.on(setting.database(), TrackingStore.on(setting.database()));
        this.datasets = new DatasetVersions(setting.database(), setting.blobs());
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
        List<Flights.Flight> all = Flights.read(setting.data());
        List<Flights.Flight> early = Flights.months(all, 1, 3);
        List<Flights.Flight> recent = Flights.months(all, 4, 6);
        if (early.isEmpty() || recent.isEmpty()) {
            throw CairnException.invalid("flights data " + setting.data() + ": needs flights in months 1-3 and 4-6");
        }
        Path dataDir = setting.work().resolve("data");
        Path trainFile = Flights.write(early, dataDir.resolve("flights-2001-01-03.csv"));

        stage(out, 2, "Versioning and validating the training data (months 1-3)");
        DatasetVersion trainVersion = version(trainFile, "months 1-3 of 2001: the training data");
        Schema schema = SchemaInference.infer(trainFile);
        ValidationResult validation = SchemaValidator.validate(schema, trainFile);
        if (!validation.passed()) {
            throw CairnException.invalid(
                    "training data " + trainVersion.ref() + " failed validation: " + validation.anomalies());
        }
        say(
                "validated %d rows against the inferred schema (%d columns): passed",
                validation.rows(), schema.columns().size());

        try (Cairn cairn = Cairn.connect(setting.url());
                TrackedRuns tracked = new TrackedRuns(cairn.experiment(EXPERIMENT), setting.work(), lineage)) {
            return tell(tracked, all, early, recent, trainVersion, trainFile, schema);
        }
    }

    private Outcome tell(
            TrackedRuns tracked,
            List<Flights.Flight> all,
            List<Flights.Flight> early,
            List<Flights.Flight> recent,
            DatasetVersion trainVersion,
            Path trainFile,
            Schema schema) {
        stage(out, 3, "Building features and training XGBoost (seed 42) as a tracked run");
        Candidate first = tracked.train("train-months-1-3", early, trainVersion, Optional.empty());
        say("run %s: trained on %d flights, model package %s", first.runId(), first.trainRows(), first.shortHash());

        stage(out, 4, "Evaluating on a holdout (every 5th flight of months 1-3) and gating");
        Optional<Champion> previous = champion();
        boolean blessed = gate(tracked, first, previous.map(c -> c.auc(Flights.holdout(early, true))));
        if (!blessed && previous.isPresent()) {
            say(
                    "the current champion (version %s) stays in service",
                    previous.get().version());
        } else if (!blessed) {
            throw CairnException.invalid("the first model failed its gate: AUC below " + MIN_AUC);
        }

        stage(out, 5, "Registering the model and serving it as the champion");
        String serving = blessed ? promote(first) : serve(previous.orElseThrow());

        stage(out, 6, "Replaying months 4, 5 and 6 as live traffic through POST /v2/models/" + MODEL + "/infer");
        Replay replay = new Replay(setting.url(), MODEL, out);
        Map<Integer, Path> monthFiles = new LinkedHashMap<>();
        Flights.Encoder encoder = blessed
                ? first.model().encoder()
                : previous.orElseThrow().model().encoder();
        for (int month = 4; month <= 6; month++) {
            List<Flights.Flight> flights = Flights.months(all, month, month);
            Path file =
                    Flights.write(flights, setting.work().resolve("data").resolve("flights-2001-0" + month + ".csv"));
            monthFiles.put(month, file);
            ValidationResult check = SchemaValidator.validate(schema, file);
            Replay.Served served = replay.serve(month, flights, encoder);
            tracked.logServed(month, served, check);
        }

        stage(out, 7, "Computing drift of each replayed month against " + trainVersion.ref());
        Map<Integer, Double> shares = new LinkedHashMap<>();
        List<Integer> drifted = new ArrayList<>();
        for (Map.Entry<Integer, Path> month : monthFiles.entrySet()) {
            DriftReport report =
                    TableDrift.compare(trainFile, month.getValue(), DRIFT_COLUMNS, DriftOptions.defaults());
            shares.put(month.getKey(), report.driftShare());
            if (report.datasetDrift()) {
                drifted.add(month.getKey());
            }
            say(
                    "month %d: drift share %.2f (%d of %d columns drifted: %s) -> %s",
                    month.getKey(),
                    report.driftShare(),
                    report.driftedColumns(),
                    report.testedColumns(),
                    driftedColumns(report),
                    report.datasetDrift() ? "DRIFT" : "no drift");
            tracked.logDrift(month.getKey(), report);
        }

        stage(
                out,
                8,
                "Retraining when drift crosses the threshold (drift share >= "
                        + DriftOptions.defaults().driftShare() + ")");
        Optional<String> retrainRun = Optional.empty();
        if (drifted.isEmpty()) {
            say("no month drifted: the champion stays, nothing to retrain");
        } else {
            say("drift detected in month(s) %s: retraining on the recent months 4-6", drifted);
            Path recentFile =
                    Flights.write(recent, setting.work().resolve("data").resolve("flights-2001-04-06.csv"));
            DatasetVersion recentVersion = version(recentFile, "months 4-6 of 2001: recent traffic");
            Candidate second = tracked.train("retrain-months-4-6", recent, recentVersion, Optional.of(drifted));
            retrainRun = Optional.of(second.runId());
            lineage.record(List.of(
                    LineageEdge.of(LineageUri.monitor(MONITOR), EdgeType.TRIGGERED_BY, LineageUri.run(second.runId()))
                            .withAttributes(Map.of("reason", "dataset drift in months " + drifted))));
            say(
                    "run %s: retrained on %d flights, triggered by %s",
                    second.runId(), second.trainRows(), LineageUri.monitor(MONITOR));
            List<Flights.Flight> holdout = Flights.holdout(recent, true);
            Champion current = champion().orElseThrow();
            say(
                    "gating against the champion (version %s) on the same holdout (every 5th flight of months 4-6)",
                    current.version());
            if (gate(tracked, second, Optional.of(current.auc(holdout)))) {
                serving = promote(second);
                Replay.Served check = replay.serve(
                        6,
                        Flights.months(all, 6, 6).subList(0, 100),
                        second.model().encoder());
                say("traffic now answered by version %s", check.versions());
            } else {
                say("the retrained model was NOT promoted; version %s keeps serving", current.version());
            }
        }
        String modelUri = LineageUri.model(MODEL, Integer.parseInt(serving));
        String tree = lineage.traverse(modelUri, Direction.UP, 10).renderTree();
        return new Outcome(tracked.experimentId(), first.runId(), retrainRun, serving, shares, drifted, modelUri, tree);
    }

    private DatasetVersion version(Path file, String message) {
        DatasetVersions.AddResult added = datasets.add(new DatasetVersions.AddRequest(file, DATASET, message));
        DatasetVersion version = added.version();
        say(
                "dataset version %s (%s, id %s)%s",
                version.ref(), message, version.shortId(), added.created() ? "" : ", already recorded");
        return version;
    }

    /** Judges {@code candidate}: an absolute AUC floor, and no worse than the champion when there is one. */
    private boolean gate(TrackedRuns tracked, Candidate candidate, Optional<Double> championAuc) {
        boolean floor = candidate.auc() >= MIN_AUC;
        boolean beats =
                championAuc.map(c -> candidate.auc() >= c - AUC_TOLERANCE).orElse(true);
        boolean blessed = floor && beats;
        say(
                "holdout AUC %.4f, accuracy %.4f on %d flights; AUC >= %.2f: %s",
                candidate.auc(), candidate.accuracy(), candidate.holdoutRows(), MIN_AUC, floor ? "pass" : "FAIL");
        championAuc.ifPresentOrElse(
                c -> say(
                        "champion AUC on the same holdout %.4f; candidate >= champion - %.2f: %s",
                        c, AUC_TOLERANCE, beats ? "pass" : "FAIL"),
                () -> say("no champion yet: the value threshold alone decides"));
        say("verdict: %s", blessed ? "BLESSED" : "NOT_BLESSED");
        tracked.bless(candidate, blessed, championAuc);
        return blessed;
    }

    /** Registers {@code candidate}, loads it into the engine and makes it the champion and default version. */
    private String promote(Candidate candidate) {
        ensureRegisteredModel();
        String artifact = LineageUri.artifact(candidate.runId(), "model");
        var version = registry.createModelVersion(new NewModelVersion(
                MODEL,
                "runs:/" + candidate.runId() + "/model",
                candidate.runId(),
                "",
                "XGBoost flight-delay classifier, holdout AUC " + String.format(Locale.ROOT, "%.4f", candidate.auc()),
                List.of()));
        String number = Integer.toString(version.version());
        registry.setRegisteredModelAlias(MODEL, "champion", number);
        setting.engine().load(MODEL, number, candidate.directory());
        setting.engine().setDefaultVersion(MODEL, number);
        String model = LineageUri.model(MODEL, Integer.parseInt(number));
        lineage.record(List.of(
                LineageEdge.of(artifact, EdgeType.REGISTERED_AS, model),
                LineageEdge.of(model, EdgeType.DEPLOYED_AS, LineageUri.deployment(MODEL))));
        say(
                "registered %s version %s, alias 'champion' -> %s, serving as the default version of %s",
                MODEL, number, number, LineageUri.deployment(MODEL));
        return number;
    }

    /** Serves an earlier champion that stays in place. */
    private String serve(Champion champion) {
        setting.engine().load(MODEL, champion.version(), champion.packageDirectory());
        setting.engine().setDefaultVersion(MODEL, champion.version());
        say(
                "serving %s version %s (alias 'champion') as the default version of %s",
                MODEL, champion.version(), LineageUri.deployment(MODEL));
        return champion.version();
    }

    private void ensureRegisteredModel() {
        try {
            registry.getRegisteredModel(MODEL);
        } catch (CairnException missing) {
            registry.createRegisteredModel(
                    MODEL, List.of(), "Predicts whether a US domestic flight is delayed by more than 15 minutes.");
        }
    }

    /** The champion of an earlier demo in the same home, when its model package is still on disk. */
    private Optional<Champion> champion() {
        try {
            var version = registry.getModelVersionByAlias(MODEL, "champion");
            return Champion.load(setting.work(), version.runId(), Integer.toString(version.version()));
        } catch (CairnException absent) {
            return Optional.empty();
        }
    }

    private static String driftedColumns(DriftReport report) {
        List<String> names = report.columns().stream()
                .filter(c -> c.drifted())
                .map(c -> c.column())
                .toList();
        return names.isEmpty() ? "none" : String.join(", ", names);
    }

    private void say(String format, Object... args) {
        out.println("      " + String.format(Locale.ROOT, format, args));
        out.flush();
    }
}
