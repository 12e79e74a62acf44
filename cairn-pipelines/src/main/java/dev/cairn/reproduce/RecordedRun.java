package dev.cairn.reproduce;

import dev.cairn.artifacts.ArtifactPath;
import dev.cairn.artifacts.ArtifactRepository;
import dev.cairn.artifacts.ArtifactRoot;
import dev.cairn.core.CairnException;
import dev.cairn.core.ErrorCode;
import dev.cairn.provenance.CodeVersion;
import dev.cairn.provenance.Provenance;
import dev.cairn.provenance.ProvenanceCapture;
import dev.cairn.tracking.Run;
import dev.cairn.tracking.Tag;
import dev.cairn.tracking.TrackingStore;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * A tracked run with the provenance it recorded at start and its uncommitted diff, read back and
 * checked: a missing or corrupted record fails naming the run and the artifact.
 */
record RecordedRun(Run run, Provenance provenance, byte[] diff) {
    String id() {
        return run.info().runId();
    }

    ArtifactRoot root() {
        return ArtifactRoot.ofRun(run.info().experimentId(), id());
    }

    Optional<String> tag(String key) {
        return run.tags().stream()
                .filter(t -> t.key().equals(key))
                .map(Tag::value)
                .findFirst();
    }

    /** The recorded code version; a run without one cannot be reproduced. */
    CodeVersion.Git code() {
        if (provenance.code() instanceof CodeVersion.Git git) {
            return git;
        }
        throw new CairnException(
                ErrorCode.INVALID_STATE,
                "run " + id() + " has no recorded code version (" + ((CodeVersion.None) provenance.code()).reason()
                        + "); it cannot be reproduced");
    }

    static RecordedRun load(String runId, TrackingStore tracking, ArtifactRepository artifacts) {
        Run run = tracking.getRun(runId);
        ArtifactRoot root = ArtifactRoot.ofRun(run.info().experimentId(), runId);
        byte[] json = read(runId, artifacts, root, Provenance.ARTIFACT_PATH)
                .orElseThrow(() -> new CairnException(
                        ErrorCode.INVALID_STATE,
                        "run " + runId + " has no recorded provenance (artifact " + Provenance.ARTIFACT_PATH
                                + "): it was started without provenance and cannot be reproduced"));
        Provenance provenance;
        try {
            provenance = Provenance.fromJson(new String(json, StandardCharsets.UTF_8));
        } catch (IllegalArgumentException e) {
            throw CairnException.invalid("the provenance record " + Provenance.ARTIFACT_PATH + " of run " + runId
                    + " is unreadable: " + e.getMessage());
        }
        byte[] diff = new byte[0];
        if (provenance.code() instanceof CodeVersion.Git git && git.dirty()) {
            diff = read(runId, artifacts, root, Provenance.DIFF_ARTIFACT_PATH)
                    .orElseThrow(() -> new CairnException(
                            ErrorCode.INVALID_STATE,
                            "run " + runId + " ran with uncommitted changes but their diff "
                                    + Provenance.DIFF_ARTIFACT_PATH + " is missing"));
            String digest = ProvenanceCapture.sha256(diff);
            if (!digest.equals(git.diffSha256())) {
                throw new CairnException(
                        ErrorCode.INTERNAL_ERROR,
                        "the diff " + Provenance.DIFF_ARTIFACT_PATH + " of run " + runId
                                + " is corrupted: its SHA-256 is " + digest + " but the run recorded "
                                + git.diffSha256());
            }
        }
        return new RecordedRun(run, provenance, diff);
    }

    private static Optional<byte[]> read(String runId, ArtifactRepository artifacts, ArtifactRoot root, String path) {
        ArtifactPath artifact = ArtifactPath.of(path);
        if (artifacts.file(root, artifact).isEmpty()) {
            return Optional.empty();
        }
        try (InputStream in = artifacts.open(root, artifact)) {
            return Optional.of(in.readAllBytes());
        } catch (IOException | UncheckedIOException e) {
            throw new CairnException(
                    ErrorCode.INTERNAL_ERROR,
                    "artifact " + path + " of run " + runId + " could not be read (corrupted in the store?): "
                            + e.getMessage(),
                    e);
        } catch (CairnException e) {
            throw new CairnException(
                    ErrorCode.INTERNAL_ERROR,
                    "artifact " + path + " of run " + runId + " could not be read: " + e.getMessage(),
                    e);
        }
    }
}
