package dev.cairn.pipelines.builtin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.cairn.artifacts.ArtifactPath;
import dev.cairn.artifacts.ArtifactRepository;
import dev.cairn.artifacts.ArtifactRoot;
import dev.cairn.core.CairnException;
import dev.cairn.core.ErrorCode;
import dev.cairn.lineage.EdgeType;
import dev.cairn.lineage.LineageEdge;
import dev.cairn.lineage.LineageStore;
import dev.cairn.lineage.LineageUri;
import dev.cairn.models.ModelManifest;
import dev.cairn.models.ModelPackage;
import dev.cairn.registry.ModelVersion;
import dev.cairn.registry.NewModelVersion;
import dev.cairn.registry.RegistryStore;
import dev.cairn.store.Database;
import dev.cairn.tracking.Tag;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * {@code uses: register}: stores a model package in the server's artifact store (under the step's
 * run, at {@code model/}) and registers it as a new version of a registered model (created when
 * absent), with the blessing of an upstream {@code evaluate} step recorded on the version and lineage
 * {@code pipeline run -produced-> model artifact -registered_as-> model version}. Writes
 * {@code {"name", "version", "uri"}} to its optional {@code version} output.
 */
public final class RegisterStep implements BuiltinStep {
    /** The version tag holding the pipeline run that registered it. */
    public static final String PIPELINE_RUN_TAG = "cairn.pipeline.run_id";
    /** The version tag holding the package's content hash. */
    public static final String CONTENT_HASH_TAG = "cairn.model.content_hash";
    /** Where the upstream evaluation is stored in the registering run's artifacts. */
    public static final String EVALUATION_ARTIFACT = "cairn/evaluation.json";

    private static final Set<String> KEYS =
            Set.of("model", "name", "evaluation", "version", "description", "tags", "refuse_not_blessed");
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    @Override
    public String name() {
        return "register";
    }

    @Override
    public String version() {
        return "1";
    }

    @Override
    public void run(BuiltinContext context) throws Exception {
        StepConfig config = StepConfig.of(context, KEYS);
        String modelName = config.string("name");
        Path packageDir = config.input(context, "model", "model");
        ModelManifest manifest = ModelPackage.read(packageDir);
        Map<String, String> tags = new LinkedHashMap<>();
        config.map("tags").forEach((k, v) -> tags.put(k, String.valueOf(v)));
        Optional<Path> evaluation = config.optionalInput(context, "evaluation", "evaluation");
        if (evaluation.isPresent()) {
            tags.putAll(blessingTags(evaluation.get(), config.bool("refuse_not_blessed", true), modelName));
        }
        Database db = context.services().require(Database.class, context.stepName());
        ArtifactRepository artifacts = context.services().require(ArtifactRepository.class, context.stepName());
        RegistryStore registry = RegistryStore.on(db, context.tracking());
        String stepRun = context.trackingRunId();
        ArtifactRoot runRoot = ArtifactRoot.ofRun(context.experimentId(), stepRun);
        int files = upload(artifacts, runRoot, packageDir);
        if (evaluation.isPresent()) {
            // Beside the version's source run, where model cards read slices and fairness from.
            try (InputStream in = Files.newInputStream(evaluation.get())) {
                artifacts.put(runRoot, ArtifactPath.of(EVALUATION_ARTIFACT), in);
            }
        }
        ensureModel(registry, modelName);
        String pipelineRun = context.pipelineRunId();
        tags.put(PIPELINE_RUN_TAG, pipelineRun);
        tags.put(CONTENT_HASH_TAG, manifest.contentHash());
        List<Tag> versionTags = new ArrayList<>();
        tags.forEach((k, v) -> versionTags.add(new Tag(k, v)));
        ModelVersion version = registry.createModelVersion(new NewModelVersion(
                modelName,
                "runs:/" + stepRun + "/model",
                stepRun,
                "",
                config.string("description", "registered by pipeline run " + pipelineRun),
                versionTags));
        String artifact = LineageUri.artifact(stepRun, "model");
        Map<String, String> attributes = Map.of("step", context.stepName(), "pipeline_run", pipelineRun);
        List<LineageEdge> edges = new ArrayList<>();
        edges.add(LineageEdge.of(LineageUri.run(stepRun), EdgeType.PRODUCED, artifact)
                .withAttributes(attributes));
        if (!pipelineRun.equals(stepRun)) {
            edges.add(LineageEdge.of(LineageUri.run(pipelineRun), EdgeType.PRODUCED, artifact)
                    .withAttributes(attributes));
        }
        LineageStore.of(db).record(edges);
        String uri = "models:/" + modelName + "/" + version.version();
        context.log()
                .println("registered " + uri + " (" + files + " files, content hash " + manifest.contentHash()
                        + (tags.containsKey("cairn.blessing") ? ", " + tags.get("cairn.blessing") : "") + ")");
        context.logMetric("registered_version", version.version(), 0);
        if (context.outputs().containsKey(config.string("version", "version"))) {
            Path out = config.output(context, "version", "version");
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("name", modelName);
            json.put("version", version.version());
            json.put("uri", uri);
            json.put("content_hash", manifest.contentHash());
            Files.writeString(out, JSON.writeValueAsString(json));
        }
    }

    /** The tags an evaluate step wrote under {@code "tags"}; a NOT_BLESSED verdict fails unless allowed. */
    private static Map<String, String> blessingTags(Path evaluation, boolean refuseNotBlessed, String model)
            throws IOException {
        JsonNode root = JSON.readTree(evaluation.toFile());
        Map<String, String> tags = new LinkedHashMap<>();
        root.path("tags")
                .properties()
                .forEach(e -> tags.put(e.getKey(), e.getValue().asText()));
        String verdict = tags.getOrDefault("cairn.blessing", "");
        if (refuseNotBlessed && verdict.equals("NOT_BLESSED")) {
            throw new CairnException(
                    ErrorCode.INVALID_STATE,
                    "the candidate is NOT_BLESSED (" + tags.getOrDefault("cairn.blessing.reasons", "") + "); " + model
                            + " gets no new version (with.refuse_not_blessed: false registers it anyway)");
        }
        return tags;
    }

    private static void ensureModel(RegistryStore registry, String name) {
        try {
            registry.getRegisteredModel(name);
        } catch (CairnException e) {
            if (e.code() != ErrorCode.RESOURCE_DOES_NOT_EXIST) {
                throw e;
            }
            try {
                registry.createRegisteredModel(name, List.of(), "");
            } catch (CairnException raced) {
                if (raced.code() != ErrorCode.RESOURCE_ALREADY_EXISTS) {
                    throw raced;
                }
            }
        }
    }

    private static int upload(ArtifactRepository artifacts, ArtifactRoot root, Path packageDir) throws IOException {
        List<Path> files;
        try (Stream<Path> walk = Files.walk(packageDir)) {
            files = walk.filter(Files::isRegularFile).sorted().toList();
        }
        for (Path file : files) {
            String relative = packageDir.relativize(file).toString().replace('\\', '/');
            try (InputStream in = Files.newInputStream(file)) {
                artifacts.put(root, ArtifactPath.of("model/" + relative), in);
            }
        }
        return files.size();
    }
}
