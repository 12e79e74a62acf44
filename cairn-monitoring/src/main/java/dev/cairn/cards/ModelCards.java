package dev.cairn.cards;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cairn.artifacts.ArtifactRepository;
import dev.cairn.core.CairnException;
import dev.cairn.deployments.Deployment;
import dev.cairn.evaluation.Blessing;
import dev.cairn.evaluation.PromotionOverride;
import dev.cairn.lineage.LineageStore;
import dev.cairn.monitoring.Monitors;
import dev.cairn.registry.ModelVersion;
import dev.cairn.registry.RegisteredModel;
import dev.cairn.registry.RegistryStore;
import dev.cairn.store.Database;
import dev.cairn.tracking.Run;
import dev.cairn.tracking.Tag;
import dev.cairn.tracking.TrackingStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Assembles the {@link ModelCard} of a model version from what Cairn recorded: the registry (version,
 * model, tags), the producing run (parameters, metrics, inputs, provenance tags), lineage (dataset
 * versions), the evaluation record ({@link EvaluationRecords}), deployments and their monitors.
 * People supply the prose sections through tags on the version (or, failing that, on the model):
 * {@value #INTENDED_USE_TAG}, {@value #FACTORS_TAG}, {@value #ETHICAL_CONSIDERATIONS_TAG},
 * {@value #CAVEATS_TAG}, {@value #LICENSE_TAG}, {@value #OWNERS_TAG} (comma-separated) and
 * {@value #LINKS_TAG} (separated by whitespace or commas). A record that exists but cannot be read
 * becomes a note on the card rather than a failure.
 */
public final class ModelCards {
    public static final String INTENDED_USE_TAG = "cairn.card.intended_use";
    public static final String FACTORS_TAG = "cairn.card.factors";
    public static final String ETHICAL_CONSIDERATIONS_TAG = "cairn.card.ethical_considerations";
    public static final String CAVEATS_TAG = "cairn.card.caveats";
    public static final String LICENSE_TAG = "cairn.card.license";
    public static final String OWNERS_TAG = "cairn.card.owners";
    public static final String LINKS_TAG = "cairn.card.links";
    /** How many of each monitor's latest windows a card shows. */
    public static final int MONITOR_WINDOWS = 20;

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String MANIFEST = "cairn-model.json";
    private static final List<String> COMMIT_TAGS = List.of("cairn.source.git.commit", "mlflow.source.git.commit");

    private final TrackingStore tracking;
    private final RegistryStore registry;
    private final ArtifactRepository artifacts;
    private final DatasetUses datasets;
    private final ServingFacts serving;

    private ModelCards(
            Database database,
            ArtifactRepository artifacts,
            Supplier<List<Deployment>> deployments,
            Monitors monitors) {
        this.tracking = TrackingStore.on(database);
        this.registry = RegistryStore.on(database, tracking);
        this.artifacts = artifacts;
        this.datasets = new DatasetUses(LineageStore.of(database));
        this.serving = new ServingFacts(deployments, monitors);
    }

    /**
     * Cards over {@code database}, reading model packages and evaluation records from {@code
     * artifacts}, the current deployments from {@code deployments} and monitor history from {@code
     * monitors}.
     */
    public static ModelCards over(
            Database database,
            ArtifactRepository artifacts,
            Supplier<List<Deployment>> deployments,
            Monitors monitors) {
        return new ModelCards(database, artifacts, deployments, monitors);
    }

    /**
     * The card of version {@code version} of model {@code name}; {@code RESOURCE_DOES_NOT_EXIST} when
     * either is unknown, {@code INVALID_PARAMETER_VALUE} when the version is not a number.
     */
    public ModelCard card(String name, String version) {
        ModelVersion v = registry.getModelVersion(name, version);
        RegisteredModel model = registry.getRegisteredModel(name);
        Map<String, String> versionTags = tags(v.tags());
        Map<String, String> modelTags = tags(model.tags());
        List<String> notes = new ArrayList<>();
        Optional<Run> run = run(v, notes);
        Map<String, String> runTags = run.map(r -> tags(r.tags())).orElse(Map.of());
        List<ModelCard.Serving> deployed = serving.serving(v);
        Optional<ModelCard.RecordedEvaluation> evaluation = attempt(
                        notes, "the evaluation record", () -> EvaluationRecords.read(v, run.map(Run::info), artifacts))
                .flatMap(e -> e);
        return new ModelCard(
                details(v, model, versionTags, modelTags, runTags, run, notes),
                prose(v, model, versionTags, modelTags),
                run,
                attempt(notes, "the lineage of the version", () -> datasets.of(v, run, evaluation))
                        .orElse(List.of()),
                evaluation,
                blessing(versionTags, notes),
                deployed,
                serving.monitors(deployed),
                notes,
                Instant.now());
    }

    private Optional<Run> run(ModelVersion v, List<String> notes) {
        if (v.runId().isEmpty()) {
            return Optional.empty();
        }
        return attempt(notes, "run " + v.runId(), () -> tracking.getRun(v.runId()));
    }

    private ModelCard.Details details(
            ModelVersion v,
            RegisteredModel model,
            Map<String, String> versionTags,
            Map<String, String> modelTags,
            Map<String, String> runTags,
            Optional<Run> run,
            List<String> notes) {
        Optional<JsonNode> manifest =
                attempt(notes, "the model package manifest", () -> manifest(v)).flatMap(m -> m);
        String creator = !v.userId().isEmpty()
                ? v.userId()
                : run.map(r -> r.info().userId()).orElse("");
        List<String> links =
                new ArrayList<>(split(either(versionTags, modelTags, LINKS_TAG).orElse(""), "[\\s,]+"));
        if (!v.runLink().isEmpty()) {
            links.add(v.runLink());
        }
        return new ModelCard.Details(
                v.name(),
                v.version(),
                model.description(),
                v.description(),
                v.currentStage().wireName(),
                v.aliases(),
                v.source(),
                Instant.ofEpochMilli(v.creationTimestamp()),
                Instant.ofEpochMilli(v.lastUpdatedTimestamp()),
                creator,
                split(either(versionTags, modelTags, OWNERS_TAG).orElse(""), "\\s*,\\s*"),
                either(versionTags, modelTags, LICENSE_TAG),
                links,
                manifest.map(m -> m.path("flavor").asText("")).filter(s -> !s.isEmpty()),
                manifest.map(m -> m.path("content_hash").asText("")).filter(s -> !s.isEmpty()),
                codeCommit(runTags));
    }

    /** The package manifest beside the version's files, when the version is a Cairn model package. */
    private Optional<JsonNode> manifest(ModelVersion v) throws Exception {
        if (!v.storageLocation().startsWith(StoredArtifact.SCHEME)) {
            return Optional.empty();
        }
        Optional<String> text =
                StoredArtifact.parse(v.storageLocation()).resolve(MANIFEST).read(artifacts);
        return text.isEmpty() ? Optional.empty() : Optional.of(JSON.readTree(text.get()));
    }

    private static Optional<String> codeCommit(Map<String, String> runTags) {
        for (String key : COMMIT_TAGS) {
            String commit = runTags.get(key);
            if (commit != null && !commit.isBlank()) {
                boolean dirty = "true".equalsIgnoreCase(runTags.getOrDefault("cairn.source.git.dirty", ""));
                String diff = runTags.getOrDefault("cairn.source.git.diff_sha256", "");
                return Optional.of(commit.strip()
                        + (dirty
                                ? " with uncommitted changes" + (diff.isEmpty() ? "" : " (diff sha256 " + diff + ")")
                                : ""));
            }
        }
        return Optional.empty();
    }

    private static ModelCard.Prose prose(
            ModelVersion v, RegisteredModel model, Map<String, String> versionTags, Map<String, String> modelTags) {
        Optional<ModelCard.Statement> intended = statement(versionTags, modelTags, INTENDED_USE_TAG, v);
        if (intended.isEmpty() && !model.description().isBlank()) {
            intended = Optional.of(new ModelCard.Statement(
                    model.description(), "the description of registered model " + model.name()));
        }
        return new ModelCard.Prose(
                intended,
                statement(versionTags, modelTags, FACTORS_TAG, v),
                statement(versionTags, modelTags, ETHICAL_CONSIDERATIONS_TAG, v),
                statement(versionTags, modelTags, CAVEATS_TAG, v));
    }

    private static Optional<ModelCard.Statement> statement(
            Map<String, String> versionTags, Map<String, String> modelTags, String key, ModelVersion v) {
        String onVersion = versionTags.get(key);
        if (onVersion != null && !onVersion.isBlank()) {
            return Optional.of(new ModelCard.Statement(onVersion, "tag " + key + " of version " + v.version()));
        }
        String onModel = modelTags.get(key);
        if (onModel != null && !onModel.isBlank()) {
            return Optional.of(new ModelCard.Statement(onModel, "tag " + key + " of registered model " + v.name()));
        }
        return Optional.empty();
    }

    private static ModelCard.BlessingRecord blessing(Map<String, String> tags, List<String> notes) {
        Optional<String> verdict =
                Optional.ofNullable(tags.get(Blessing.TAG)).map(String::strip).filter(s -> !s.isEmpty());
        List<String> reasons = attempt(notes, "the blessing reasons", () -> Blessing.reasonsOf(tags))
                .orElse(List.of());
        Optional<PromotionOverride> override = Optional.empty();
        String actor = tags.get(PromotionOverride.ACTOR_TAG);
        if (actor != null) {
            override = attempt(
                    notes,
                    "the promotion override",
                    () -> new PromotionOverride(
                            actor,
                            Instant.parse(tags.getOrDefault(PromotionOverride.AT_TAG, "")),
                            tags.getOrDefault(PromotionOverride.JUSTIFICATION_TAG, "")));
        }
        return new ModelCard.BlessingRecord(verdict, tags.getOrDefault(Blessing.SUMMARY_TAG, ""), reasons, override);
    }

    /** Either tag {@code key} of the version or, failing that, of the model. */
    private static Optional<String> either(Map<String, String> versionTags, Map<String, String> modelTags, String key) {
        String value = versionTags.get(key);
        if (value == null || value.isBlank()) {
            value = modelTags.get(key);
        }
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.strip());
    }

    private static List<String> split(String value, String separator) {
        return Arrays.stream(value.strip().split(separator))
                .filter(s -> !s.isBlank())
                .toList();
    }

    private static Map<String, String> tags(List<Tag> tags) {
        Map<String, String> out = new LinkedHashMap<>();
        tags.forEach(t -> out.put(t.key(), t.value()));
        return out;
    }

    /** A source that may fail. */
    @FunctionalInterface
    interface Source<T> {
        T get() throws Exception;
    }

    /** {@code source}'s value, or empty with a note saying what could not be read and why. */
    static <T> Optional<T> attempt(List<String> notes, String what, Source<T> source) {
        try {
            return Optional.of(source.get());
        } catch (CairnException e) {
            notes.add(what + " could not be read: " + e.getMessage());
        } catch (Exception e) {
            notes.add(what + " could not be read: " + e);
        }
        return Optional.empty();
    }
}
