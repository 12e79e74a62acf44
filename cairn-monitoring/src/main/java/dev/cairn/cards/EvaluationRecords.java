package dev.cairn.cards;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cairn.artifacts.ArtifactRepository;
import dev.cairn.core.CairnException;
import dev.cairn.core.ErrorCode;
import dev.cairn.evaluation.GatedEvaluation;
import dev.cairn.registry.ModelVersion;
import dev.cairn.registry.RegistryStore;
import dev.cairn.tracking.RunInfo;
import dev.cairn.tracking.Tag;
import dev.cairn.tracking.TrackingStore;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;

/**
 * Records a gated evaluation on a model version so that its model card can show it: the whole
 * evaluation (overall metrics, slices, fairness, every gate check) is stored as the JSON artifact
 * {@value #ARTIFACT_PATH} of the run that evaluated it, and the version gets the blessing tags
 * ({@code cairn.blessing}, its summary and reasons) plus {@value #TAG}, the artifact's location.
 * The artifact holds {@code {"format", "model", "version", "holdout", "evaluation", "blessing"}}.
 * Without the tag, a card still finds a {@value #ARTIFACT_PATH} artifact of the version's own run
 * when it names this model version or none: a pipeline step that stores its evaluation output
 * ({@link GatedEvaluation#toJson()}'s {@code evaluation} and {@code blessing}) there needs no tag.
 */
public final class EvaluationRecords {
    /** The model version tag holding the {@code mlflow-artifacts:/} location of the evaluation record. */
    public static final String TAG = "cairn.evaluation.artifact";
    /** Where, in the evaluating run's artifacts, the record is stored. */
    public static final String ARTIFACT_PATH = "cairn/evaluation.json";
    /** The layout version of the record. */
    public static final String FORMAT = "cairn-evaluation/1";

    private static final ObjectMapper JSON = new ObjectMapper();

    private EvaluationRecords() {}

    /**
     * Stores {@code evaluation} of version {@code version} of {@code name} in the artifacts of run
     * {@code runId} and tags the version; {@code holdout} names the holdout dataset version (a
     * {@code cairn-dataset:/} URI or any source), empty when unknown. Returns the record's location.
     */
    public static String record(
            RegistryStore registry,
            TrackingStore tracking,
            ArtifactRepository artifacts,
            String name,
            int version,
            String runId,
            GatedEvaluation evaluation,
            String holdout) {
        ModelVersion target = registry.getModelVersion(name, Integer.toString(version));
        RunInfo run = tracking.getRun(runId).info();
        StoredArtifact file = StoredArtifact.of(run.experimentId(), run.runId(), ARTIFACT_PATH);
        ObjectNode document = JSON.createObjectNode()
                .put("format", FORMAT)
                .put("model", target.name())
                .put("version", target.version())
                .put("holdout", holdout);
        document.setAll(readTree(evaluation.toJson()));
        artifacts.put(
                file.root(),
                file.path(),
                new ByteArrayInputStream(document.toString().getBytes(StandardCharsets.UTF_8)));
        Map<String, String> tags =
                new java.util.LinkedHashMap<>(evaluation.blessing().tags());
        tags.put(TAG, file.location());
        tags.forEach((k, v) -> registry.setModelVersionTag(name, Integer.toString(version), new Tag(k, v)));
        return file.location();
    }

    /**
     * The evaluation recorded on {@code version}: the record its {@value #TAG} tag names (which must
     * exist), else a {@value #ARTIFACT_PATH} artifact of its run written for this model version (or
     * naming none); empty when there is neither.
     */
    static Optional<ModelCard.RecordedEvaluation> read(
            ModelVersion version, Optional<RunInfo> run, ArtifactRepository artifacts) {
        String location = version.tags().stream()
                .filter(t -> t.key().equals(TAG))
                .map(t -> t.value().strip())
                .findFirst()
                .orElse("");
        if (!location.isEmpty()) {
            StoredArtifact file = StoredArtifact.parse(location);
            String text = file.read(artifacts)
                    .orElseThrow(() -> CairnException.notFound("evaluation record " + location + " does not exist"));
            return Optional.of(recorded(file, readTree(text)));
        }
        if (run.isEmpty()) {
            return Optional.empty();
        }
        StoredArtifact beside =
                StoredArtifact.of(run.get().experimentId(), run.get().runId(), ARTIFACT_PATH);
        return beside.read(artifacts)
                .map(EvaluationRecords::readTree)
                .filter(document -> isFor(document, version))
                .map(document -> recorded(beside, document));
    }

    /** Whether a record found beside a run is about {@code version}: it names it, or names no version. */
    private static boolean isFor(ObjectNode document, ModelVersion version) {
        boolean namesModel = document.hasNonNull("model");
        return !namesModel
                || (document.path("model").asText().equals(version.name())
                        && document.path("version").asInt(-1) == version.version());
    }

    private static ModelCard.RecordedEvaluation recorded(StoredArtifact file, ObjectNode document) {
        return new ModelCard.RecordedEvaluation(
                file.location(), document.path("holdout").asText(""), EvaluationDocument.parse(document));
    }

    private static ObjectNode readTree(String text) {
        try {
            if (JSON.readTree(text) instanceof ObjectNode object) {
                return object;
            }
        } catch (JsonProcessingException e) {
            throw new CairnException(
                    ErrorCode.INVALID_STATE, "evaluation record is not JSON: " + e.getOriginalMessage());
        }
        throw new CairnException(ErrorCode.INVALID_STATE, "evaluation record is not a JSON object");
    }
}
