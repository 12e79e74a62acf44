package dev.cairn.provenance;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The {@code cairn.*} tags through which a run shows its provenance in search and in the UI; the
 * whole record is the {@link Provenance#ARTIFACT_PATH} artifact, whose digest is one of the tags.
 *
 * <ul>
 *   <li>{@code cairn.source.git.commit}, {@code .dirty}, {@code .diff_sha256}, {@code .repository},
 *       {@code .subdirectory}, {@code .remote} (and MLflow's {@code mlflow.source.git.commit}); or
 *       {@code cairn.source.none} with the reason there is no code version
 *   <li>{@code cairn.env.java}, {@code cairn.env.os}, {@code cairn.env.dependencies} (how many jars),
 *       {@code cairn.env.fingerprint}
 *   <li>{@code cairn.seed.<name>} for each declared seed
 *   <li>{@code cairn.entry_point.kind}, {@code cairn.entry_point.name}, {@code cairn.command_line}
 *   <li>{@code cairn.provenance.sha256}: the SHA-256 of the provenance artifact
 * </ul>
 */
public final class ProvenanceTags {
    public static final String GIT_COMMIT = "cairn.source.git.commit";
    public static final String GIT_DIRTY = "cairn.source.git.dirty";
    public static final String GIT_DIFF_SHA256 = "cairn.source.git.diff_sha256";
    public static final String GIT_REPOSITORY = "cairn.source.git.repository";
    public static final String GIT_SUBDIRECTORY = "cairn.source.git.subdirectory";
    public static final String GIT_REMOTE = "cairn.source.git.remote";
    public static final String MLFLOW_GIT_COMMIT = "mlflow.source.git.commit";
    public static final String NO_SOURCE = "cairn.source.none";
    public static final String JAVA = "cairn.env.java";
    public static final String OS = "cairn.env.os";
    public static final String DEPENDENCIES = "cairn.env.dependencies";
    public static final String ENVIRONMENT_FINGERPRINT = "cairn.env.fingerprint";
    public static final String SEED_PREFIX = "cairn.seed.";
    public static final String ENTRY_POINT_KIND = "cairn.entry_point.kind";
    public static final String ENTRY_POINT_NAME = "cairn.entry_point.name";
    public static final String COMMAND_LINE = "cairn.command_line";
    public static final String PROVENANCE_SHA256 = "cairn.provenance.sha256";

    /** Tag values are cut here: MLflow servers accept up to 5000 characters, and the artifact has it all. */
    public static final int MAX_VALUE_LENGTH = 5000;

    private ProvenanceTags() {}

    /** The tags of {@code provenance}, whose JSON is {@code json} (as stored in the artifact). */
    public static Map<String, String> of(Provenance provenance, String json) {
        Map<String, String> tags = new LinkedHashMap<>();
        if (provenance.code() instanceof CodeVersion.Git git) {
            tags.put(GIT_COMMIT, git.commit());
            tags.put(MLFLOW_GIT_COMMIT, git.commit());
            tags.put(GIT_DIRTY, Boolean.toString(git.dirty()));
            tags.put(GIT_DIFF_SHA256, git.diffSha256());
            tags.put(GIT_REPOSITORY, git.repositoryRoot());
            tags.put(GIT_SUBDIRECTORY, git.subdirectory());
            if (!git.remoteUrl().isEmpty()) {
                tags.put(GIT_REMOTE, git.remoteUrl());
            }
        } else if (provenance.code() instanceof CodeVersion.None none) {
            tags.put(NO_SOURCE, none.reason());
        }
        Environment env = provenance.environment();
        tags.put(JAVA, env.javaVersion() + " (" + env.javaVendor() + ", " + env.vmName() + ")");
        tags.put(OS, env.osName() + " " + env.osVersion() + " " + env.osArch());
        tags.put(DEPENDENCIES, Integer.toString(provenance.dependencies().size()));
        tags.put(ENVIRONMENT_FINGERPRINT, provenance.environmentFingerprint());
        provenance.seeds().forEach((name, seed) -> tags.put(SEED_PREFIX + name, Long.toString(seed)));
        tags.put(ENTRY_POINT_KIND, provenance.entryPoint().kind());
        if (!provenance.entryPoint().name().isEmpty()) {
            tags.put(ENTRY_POINT_NAME, provenance.entryPoint().name());
        }
        tags.put(COMMAND_LINE, String.join(" ", provenance.commandLine()));
        tags.put(PROVENANCE_SHA256, ProvenanceCapture.sha256(json.getBytes(StandardCharsets.UTF_8)));
        tags.replaceAll((key, value) -> cut(value));
        return tags;
    }

    private static String cut(String value) {
        return value.length() <= MAX_VALUE_LENGTH ? value : value.substring(0, MAX_VALUE_LENGTH - 3) + "...";
    }
}
