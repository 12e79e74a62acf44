package dev.cairn.evaluation;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.cairn.artifacts.ArtifactRepository;
import dev.cairn.core.CairnException;
import dev.cairn.core.ErrorCode;
import dev.cairn.deployments.ModelSource;
import dev.cairn.models.LoadedModel;
import dev.cairn.models.ModelPackage;
import dev.cairn.models.Models;
import dev.cairn.pipelines.builtin.BuiltinContext;
import dev.cairn.pipelines.builtin.BuiltinStep;
import dev.cairn.pipelines.builtin.FeatureSpec;
import dev.cairn.pipelines.builtin.StepConfig;
import dev.cairn.pipelines.builtin.TableInputs;
import dev.cairn.registry.ModelVersion;
import dev.cairn.registry.RegistryStore;
import dev.cairn.store.Database;
import dev.cairn.validation.TableFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * {@code uses: evaluate}: evaluates a candidate model package, and the current champion ({@code
 * models:/NAME@champion}) when there is one, on the same holdout with a gate file; writes the
 * evaluation with its BLESSED/NOT_BLESSED verdict, reasons and the blessing tags, logs the candidate's
 * metrics, and fails the step when the candidate is NOT_BLESSED (unless {@code fail_when_not_blessed:
 * false}). The README of cairn-pipelines lists its {@code with:} keys.
 */
public final class EvaluateStep implements BuiltinStep {
    private static final Set<String> KEYS = Set.of(
            "model",
            "holdout",
            "where",
            "label",
            "task",
            "threshold",
            "gate",
            "champion",
            "evaluation",
            "fail_when_not_blessed");
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    @Override
    public String name() {
        return "evaluate";
    }

    @Override
    public String version() {
        return "1";
    }

    @Override
    public void run(BuiltinContext context) throws Exception {
        StepConfig config = StepConfig.of(context, KEYS);
        Path candidateDir = config.input(context, "model", "model");
        Path holdoutInput = config.input(context, "holdout", "holdout");
        Path out = config.output(context, "evaluation", "evaluation");
        Optional<FeatureSpec> candidateFeatures = FeatureSpec.read(candidateDir);
        String label = config.optionalString("label")
                .or(() -> candidateFeatures.map(FeatureSpec::label).filter(l -> !l.isBlank()))
                .orElseThrow(() -> config.bad("label", "is required (the candidate package has no features.json)"));
        String task = config.string("task", "binary");
        if (!task.equals("binary") && !task.equals("regression")) {
            throw config.bad("task", "must be binary or regression; got '" + task + "'");
        }
        EvaluationGate gate = config.optionalString("gate")
                .map(g -> EvaluationGate.read(context.workDir().resolve(g)))
                .orElse(EvaluationGate.of(List.of(), List.of()));
        Path scratch = Files.createTempDirectory("cairn-evaluate-");
        try {
            Optional<Champion> champion = champion(context, config, scratch);
            List<FeatureSpec> specs = new ArrayList<>();
            candidateFeatures.ifPresent(specs::add);
            champion.flatMap(c -> FeatureSpec.read(c.directory())).ifPresent(specs::add);
            Path holdout = materialize(
                    TableInputs.table(holdoutInput, context.stepName()),
                    specs,
                    config.optionalString("where"),
                    scratch.resolve("holdout.parquet"));
            try (LoadedModel candidate = Models.load(candidateDir);
                    LoadedModel baseline =
                            champion.map(c -> Models.load(c.directory())).orElse(null)) {
                HoldoutEvaluation evaluation = task.equals("binary")
                        ? HoldoutEvaluation.binary(holdout, label).threshold(config.number("threshold", 0.5))
                        : HoldoutEvaluation.regression(holdout, label);
                evaluation.candidate(new ModelScorer(candidate));
                if (baseline != null) {
                    evaluation.baseline(new ModelScorer(baseline));
                }
                GatedEvaluation gated = evaluation.bless(gate);
                write(out, gated, candidateDir, champion);
                report(context, gated, champion);
                if (!gated.blessing().blessed() && config.bool("fail_when_not_blessed", true)) {
                    throw new CairnException(
                            ErrorCode.INVALID_STATE,
                            "the candidate is NOT_BLESSED: "
                                    + String.join(
                                            "; ",
                                            Blessing.reasonsOf(gated.blessing().tags())));
                }
            }
        } finally {
            deleteTree(scratch);
        }
    }

    /** The champion named by {@code with.champion} (e.g. {@code models:/delays@champion}); none when that alias does not exist yet. */
    private static Optional<Champion> champion(BuiltinContext context, StepConfig config, Path scratch) {
        Optional<String> uri = config.optionalString("champion");
        if (uri.isEmpty()) {
            return Optional.empty();
        }
        String rest = uri.get().startsWith("models:/") ? uri.get().substring(8) : "";
        int at = rest.indexOf('@');
        int slash = rest.indexOf('/');
        if (at <= 0 && slash <= 0) {
            throw config.bad("champion", "must be models:/NAME@ALIAS or models:/NAME/VERSION; got '" + uri.get() + "'");
        }
        Database db = context.services().require(Database.class, context.stepName());
        ArtifactRepository artifacts = context.services().require(ArtifactRepository.class, context.stepName());
        RegistryStore registry = RegistryStore.on(db, context.tracking());
        ModelVersion version;
        try {
            version = at > 0
                    ? registry.getModelVersionByAlias(rest.substring(0, at), rest.substring(at + 1))
                    : registry.getModelVersion(rest.substring(0, slash), rest.substring(slash + 1));
        } catch (CairnException e) {
            if (e.code() == ErrorCode.RESOURCE_DOES_NOT_EXIST || e.code() == ErrorCode.INVALID_PARAMETER_VALUE) {
                context.log().println("no champion " + uri.get() + " yet: the candidate is gated on its own");
                return Optional.empty();
            }
            throw e;
        }
        String exact = "models:/" + version.name() + "/" + version.version();
        Path dir = ModelSource.registry(registry, artifacts, scratch.resolve("champion"))
                .resolve(exact);
        return Optional.of(new Champion(exact, dir));
    }

    private record Champion(String uri, Path directory) {}

    /** The holdout rows with every feature the models compute added as a column, written as Parquet. */
    private static Path materialize(Path table, List<FeatureSpec> specs, Optional<String> where, Path target) {
        try (TableFile file = TableFile.open(table)) {
            Set<String> columns = new java.util.HashSet<>();
            file.columns().forEach(c -> columns.add(c.name()));
            Map<String, String> replaced = new LinkedHashMap<>();
            Map<String, String> added = new LinkedHashMap<>();
            for (FeatureSpec spec : specs) {
                spec.features().forEach((name, expr) -> {
                    boolean plain = expr.equals(name) || expr.equals(TableFile.quote(name));
                    if (!plain) {
                        (columns.contains(name) ? replaced : added).putIfAbsent(name, expr);
                    }
                });
            }
            StringBuilder sql = new StringBuilder("COPY (SELECT *");
            if (!replaced.isEmpty()) {
                List<String> parts = new ArrayList<>();
                replaced.forEach((n, e) -> parts.add("(" + e + ") AS " + TableFile.quote(n)));
                sql.append(" REPLACE (").append(String.join(", ", parts)).append(")");
            }
            added.forEach((n, e) -> sql.append(", (").append(e).append(") AS ").append(TableFile.quote(n)));
            sql.append(" FROM ").append(TableFile.VIEW);
            where.ifPresent(w -> sql.append(" WHERE ").append(w));
            sql.append(") TO ").append(TableFile.literal(target.toString())).append(" (FORMAT PARQUET)");
            try (Statement st = file.connection().createStatement()) {
                st.execute(sql.toString());
            } catch (SQLException e) {
                throw CairnException.invalid("cannot compute the model features on holdout " + table + ": "
                        + e.getMessage().strip().lines().findFirst().orElse(""));
            }
        }
        return target;
    }

    private static void write(Path out, GatedEvaluation gated, Path candidateDir, Optional<Champion> champion)
            throws IOException {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("verdict", gated.blessing().verdict().name());
        json.put("reasons", Blessing.reasonsOf(gated.blessing().tags()));
        json.put(
                "candidate",
                Map.of("content_hash", ModelPackage.read(candidateDir).contentHash()));
        champion.ifPresent(c -> json.put("champion", Map.of("uri", c.uri())));
        json.put("tags", gated.blessing().tags());
        json.put("evaluation", gated.result().toMap());
        json.put("blessing", gated.blessing().toMap());
        Files.createDirectories(out.getParent());
        Files.writeString(out, JSON.writeValueAsString(json));
    }

    private static void report(BuiltinContext context, GatedEvaluation gated, Optional<Champion> champion) {
        gated.result().overall().candidate().values().forEach((metric, value) -> {
            if (Double.isFinite(value)) {
                context.logMetric(metric.id(), value, 0);
            }
        });
        gated.result().overall().baseline().ifPresent(b -> b.values().forEach((metric, value) -> {
            if (Double.isFinite(value)) {
                context.logMetric("champion_" + metric.id(), value, 0);
            }
        }));
        context.log()
                .println(gated.blessing().verdict()
                        + champion.map(c -> " against " + c.uri()).orElse("") + ": "
                        + gated.blessing().tags().get(Blessing.SUMMARY_TAG));
        for (String reason : Blessing.reasonsOf(gated.blessing().tags())) {
            context.log().println("  " + reason);
        }
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a leftover temp folder only costs disk space
        }
    }
}
