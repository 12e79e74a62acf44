package dev.cairn.pipelines.execution;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.cairn.artifacts.ArtifactPath;
import dev.cairn.artifacts.BlobRef;
import dev.cairn.artifacts.BlobStore;
import dev.cairn.pipelines.OutputRef;
import dev.cairn.pipelines.ParamType;
import dev.cairn.pipelines.Pipeline;
import dev.cairn.pipelines.StepAction;
import dev.cairn.provenance.CapturedProvenance;
import dev.cairn.provenance.Dependency;
import dev.cairn.provenance.EntryPoint;
import dev.cairn.provenance.Environment;
import dev.cairn.provenance.Provenance;
import dev.cairn.provenance.ProvenanceCapture;
import dev.cairn.provenance.ProvenanceTags;
import dev.cairn.tracking.Tag;
import java.io.ByteArrayInputStream;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The provenance of one execution's runs: the project's code version and uncommitted diff,
 * captured once when the execution starts, and for each step its own entry point (command or
 * built-in, parameters, resolved inputs, code files), seeds and dependencies. What a run records
 * is a set of {@code cairn.*} tags and the {@code provenance/} artifacts.
 *
 * <p>Declared seeds of a step are its integer parameters named {@code seed} or ending in
 * {@code _seed} or {@code -seed}.
 */
final class RunProvenance {
    private final CapturedProvenance pipeline;
    private final Optional<BlobRef> diff;

    private RunProvenance(CapturedProvenance pipeline, Optional<BlobRef> diff) {
        this.pipeline = pipeline;
        this.diff = diff;
    }

    /** What a run records: tags set when it is created and artifacts linked to blobs already stored. */
    record Recorded(List<Tag> tags, List<StepArtifacts.Link> links) {}

    static RunProvenance capture(Pipeline pipeline, Map<String, Object> params, BlobStore blobs) {
        EntryPoint entry = new EntryPoint(
                EntryPoint.PIPELINE, pipeline.name(), ProvenanceCapture.currentCommandLine(), text(params), List.of());
        CapturedProvenance captured = ProvenanceCapture.capture(pipeline.projectDir(), seeds(params), entry);
        byte[] bytes = captured.diff();
        Optional<BlobRef> diff =
                bytes.length == 0 ? Optional.empty() : Optional.of(blobs.put(new ByteArrayInputStream(bytes)));
        return new RunProvenance(captured, diff);
    }

    /** The pipeline run's own record. */
    Recorded forPipeline(BlobStore blobs) {
        return recorded(pipeline.provenance(), blobs);
    }

    /** A step run's record: the execution's code version with the step as entry point. */
    Recorded forStep(
            PreparedStep p, Path projectDir, Map<String, Map<String, StoredOutput>> upstream, BlobStore blobs) {
        Provenance base = pipeline.provenance();
        Provenance step = new Provenance(
                base.code(),
                Environment.current(),
                dependencies(p),
                seeds(p.params()),
                entryPoint(p, projectDir, upstream));
        return recorded(step, blobs);
    }

    private Recorded recorded(Provenance provenance, BlobStore blobs) {
        String json = provenance.toJson();
        BlobRef record = blobs.put(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)));
        List<StepArtifacts.Link> links = new ArrayList<>();
        links.add(new StepArtifacts.Link(ArtifactPath.of(Provenance.ARTIFACT_PATH), record));
        diff.ifPresent(d -> links.add(new StepArtifacts.Link(ArtifactPath.of(Provenance.DIFF_ARTIFACT_PATH), d)));
        List<Tag> tags = new ArrayList<>();
        ProvenanceTags.of(provenance, json).forEach((k, v) -> tags.add(new Tag(k, v)));
        return new Recorded(tags, links);
    }

    private static EntryPoint entryPoint(
            PreparedStep p, Path projectDir, Map<String, Map<String, StoredOutput>> upstream) {
        List<String> command =
                p.step().action() instanceof StepAction.Uses u ? List.of("uses:" + u.builtin()) : p.argv();
        Map<String, String> hashes = keyInputs(p);
        List<EntryPoint.Input> inputs = new ArrayList<>();
        p.step().inputs().forEach((name, ref) -> {
            Path path = p.inputs().get(name);
            inputs.add(new EntryPoint.Input(
                    name, ref, path.toString(), hashes.getOrDefault(name, ""), kind(ref, path, upstream)));
        });
        codeFiles(p)
                .forEach((file, sha) -> inputs.add(new EntryPoint.Input(
                        "code:" + file, file, projectDir.resolve(file).toString(), sha, "code")));
        return new EntryPoint(EntryPoint.STEP, p.step().name(), command, text(p.params()), inputs);
    }

    private static String kind(String ref, Path path, Map<String, Map<String, StoredOutput>> upstream) {
        Optional<OutputRef> out = OutputRef.parse(ref);
        if (out.isPresent()) {
            StoredOutput stored = upstream.getOrDefault(out.get().step(), Map.of())
                    .get(out.get().output());
            return stored != null && stored.isDirectory() ? "output-dir" : "output-file";
        }
        if (ref.startsWith(DatasetInputResolver.PREFIX)) {
            return "dataset";
        }
        return Files.isDirectory(path) ? "dir" : "file";
    }

    private static Map<String, String> keyInputs(PreparedStep p) {
        Map<String, String> hashes = new TreeMap<>();
        component(p, CacheKeys.INPUTS)
                .properties()
                .forEach(e -> hashes.put(e.getKey(), e.getValue().asText()));
        return hashes;
    }

    /** The code files the step's cache key fingerprints, project-relative, with their digests. */
    private static Map<String, String> codeFiles(PreparedStep p) {
        Map<String, String> files = new TreeMap<>();
        component(p, CacheKeys.CODE)
                .path("files")
                .properties()
                .forEach(e -> files.put(e.getKey(), e.getValue().asText()));
        return files;
    }

    private static JsonNode component(PreparedStep p, String name) {
        try {
            return RunStore.JSON.readTree(p.key().componentsJson()).path(name);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cache key components are JSON", e);
        }
    }

    /**
     * A built-in step runs in this JVM, so its jars are this classpath's; a {@code java} command
     * step's are those of its {@code -cp}; for other commands the cache key's executable digest
     * stands for the environment.
     */
    private static List<Dependency> dependencies(PreparedStep p) {
        if (p.builtin().isPresent()) {
            return ProvenanceCapture.classpathDependencies();
        }
        List<String> argv = p.argv();
        for (int i = 0; i + 1 < argv.size(); i++) {
            String flag = argv.get(i);
            if (flag.equals("-cp") || flag.equals("-classpath") || flag.equals("--class-path")) {
                return ProvenanceCapture.dependencies(List.of(argv.get(i + 1).split(File.pathSeparator)));
            }
        }
        return List.of();
    }

    private static SortedMap<String, String> text(Map<String, Object> params) {
        SortedMap<String, String> text = new TreeMap<>();
        params.forEach((k, v) -> text.put(k, ParamType.format(v)));
        return text;
    }

    private static SortedMap<String, Long> seeds(Map<String, Object> params) {
        SortedMap<String, Long> seeds = new TreeMap<>();
        params.forEach((name, value) -> {
            String lower = name.toLowerCase(Locale.ROOT);
            boolean seed = lower.equals("seed") || lower.endsWith("_seed") || lower.endsWith("-seed");
            if (seed && (value instanceof Long || value instanceof Integer)) {
                seeds.put(name, ((Number) value).longValue());
            }
        });
        return seeds;
    }
}
