package dev.cairn.provenance;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * How a run was made: code version, Java and OS, the classpath's jars with their digests, the
 * declared random seeds and the entry point (command line, parameters, inputs). {@link #toJson()}
 * is deterministic (fixed field order, sorted seeds, dependencies and inputs), so equal records
 * give byte-identical JSON.
 */
public record Provenance(
        CodeVersion code,
        Environment environment,
        List<Dependency> dependencies,
        SortedMap<String, Long> seeds,
        EntryPoint entryPoint) {
    /** The version of the JSON layout written by {@link #toJson()}. */
    public static final String FORMAT = "cairn-provenance/1";

    /** Where a run keeps this record among its artifacts. */
    public static final String ARTIFACT_PATH = "provenance/provenance.json";

    /** Where a run keeps the uncommitted diff among its artifacts ({@link CapturedProvenance#diff()}). */
    public static final String DIFF_ARTIFACT_PATH = "provenance/uncommitted.diff";

    private static final ObjectMapper JSON = new ObjectMapper();

    public Provenance {
        List<Dependency> sorted = new ArrayList<>(dependencies);
        sorted.sort((a, b) -> a.fileName().equals(b.fileName())
                ? a.sha256().compareTo(b.sha256())
                : a.fileName().compareTo(b.fileName()));
        dependencies = List.copyOf(sorted);
        seeds = Collections.unmodifiableSortedMap(new TreeMap<>(seeds));
    }

    /** The command line of the entry point. */
    public List<String> commandLine() {
        return entryPoint.command();
    }

    public String toJson() {
        ObjectNode root = JSON.createObjectNode();
        root.put("format", FORMAT);
        root.set("code", codeJson());
        ObjectNode env = root.putObject("environment");
        env.put("java_version", environment.javaVersion());
        env.put("java_vendor", environment.javaVendor());
        env.put("vm_name", environment.vmName());
        env.put("os_name", environment.osName());
        env.put("os_version", environment.osVersion());
        env.put("os_arch", environment.osArch());
        env.put("fingerprint", environmentFingerprint());
        ArrayNode deps = root.putArray("dependencies");
        for (Dependency d : dependencies) {
            deps.addObject().put("file", d.fileName()).put("sha256", d.sha256()).put("size", d.size());
        }
        ObjectNode seedNode = root.putObject("seeds");
        seeds.forEach(seedNode::put);
        root.set("entry_point", entryPointJson());
        try {
            return JSON.writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree always serializes", e);
        }
    }

    /**
     * A SHA-256 over the Java runtime, OS and dependency digests: equal fingerprints mean the same
     * environment, so a reproduction can tell an environment change from a code or data change.
     */
    public String environmentFingerprint() {
        StringBuilder text = new StringBuilder();
        text.append(environment).append('\n');
        dependencies.forEach(
                d -> text.append(d.fileName()).append(' ').append(d.sha256()).append('\n'));
        return ProvenanceCapture.sha256(text.toString().getBytes(StandardCharsets.UTF_8));
    }

    private ObjectNode codeJson() {
        ObjectNode node = JSON.createObjectNode();
        if (code instanceof CodeVersion.Git git) {
            node.put("kind", "git");
            node.put("commit", git.commit());
            node.put("dirty", git.dirty());
            node.put("diff_sha256", git.diffSha256());
            ArrayNode untracked = node.putArray("untracked_files");
            git.untrackedFiles().forEach(untracked::add);
            node.put("repository_root", git.repositoryRoot());
            node.put("subdirectory", git.subdirectory());
            node.put("remote_url", git.remoteUrl());
        } else if (code instanceof CodeVersion.None none) {
            node.put("kind", "none");
            node.put("reason", none.reason());
        }
        return node;
    }

    private ObjectNode entryPointJson() {
        ObjectNode node = JSON.createObjectNode();
        node.put("kind", entryPoint.kind());
        node.put("name", entryPoint.name());
        ArrayNode command = node.putArray("command");
        entryPoint.command().forEach(command::add);
        ObjectNode params = node.putObject("params");
        entryPoint.params().forEach(params::put);
        ArrayNode inputs = node.putArray("inputs");
        for (EntryPoint.Input in : entryPoint.inputs()) {
            inputs.addObject()
                    .put("name", in.name())
                    .put("reference", in.reference())
                    .put("path", in.path())
                    .put("sha256", in.sha256())
                    .put("kind", in.kind());
        }
        return node;
    }

    /**
     * Reads what {@link #toJson()} wrote.
     *
     * @throws IllegalArgumentException naming the field that is missing or wrong
     */
    public static Provenance fromJson(String json) {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("provenance is not JSON: " + e.getOriginalMessage(), e);
        }
        String format = text(root, "format");
        if (!FORMAT.equals(format)) {
            throw new IllegalArgumentException("provenance format must be " + FORMAT + "; got '" + format + "'");
        }
        JsonNode env = field(root, "environment");
        List<Dependency> deps = new ArrayList<>();
        for (JsonNode d : field(root, "dependencies")) {
            deps.add(new Dependency(
                    text(d, "file"), text(d, "sha256"), field(d, "size").asLong()));
        }
        SortedMap<String, Long> seeds = new TreeMap<>();
        for (Map.Entry<String, JsonNode> e : field(root, "seeds").properties()) {
            seeds.put(e.getKey(), e.getValue().asLong());
        }
        return new Provenance(
                codeFromJson(field(root, "code")),
                new Environment(
                        text(env, "java_version"),
                        text(env, "java_vendor"),
                        text(env, "vm_name"),
                        text(env, "os_name"),
                        text(env, "os_version"),
                        text(env, "os_arch")),
                deps,
                seeds,
                entryPointFromJson(field(root, "entry_point")));
    }

    private static EntryPoint entryPointFromJson(JsonNode node) {
        List<String> command = new ArrayList<>();
        field(node, "command").forEach(c -> command.add(c.asText()));
        SortedMap<String, String> params = new TreeMap<>();
        for (Map.Entry<String, JsonNode> e : field(node, "params").properties()) {
            params.put(e.getKey(), e.getValue().asText());
        }
        List<EntryPoint.Input> inputs = new ArrayList<>();
        for (JsonNode in : field(node, "inputs")) {
            inputs.add(new EntryPoint.Input(
                    text(in, "name"), text(in, "reference"), text(in, "path"), text(in, "sha256"), text(in, "kind")));
        }
        return new EntryPoint(text(node, "kind"), text(node, "name"), command, params, inputs);
    }

    private static CodeVersion codeFromJson(JsonNode code) {
        String kind = text(code, "kind");
        if (kind.equals("none")) {
            return new CodeVersion.None(text(code, "reason"));
        }
        if (!kind.equals("git")) {
            throw new IllegalArgumentException("provenance field 'code.kind' must be git or none; got '" + kind + "'");
        }
        List<String> untracked = new ArrayList<>();
        field(code, "untracked_files").forEach(u -> untracked.add(u.asText()));
        return new CodeVersion.Git(
                text(code, "commit"),
                field(code, "dirty").asBoolean(),
                text(code, "diff_sha256"),
                untracked,
                text(code, "repository_root"),
                text(code, "subdirectory"),
                text(code, "remote_url"));
    }

    private static JsonNode field(JsonNode node, String name) {
        JsonNode value = node.get(name);
        if (value == null || value.isNull()) {
            throw new IllegalArgumentException("provenance field '" + name + "' is missing");
        }
        return value;
    }

    private static String text(JsonNode node, String name) {
        return field(node, name).asText();
    }
}
