package dev.cairn.cards;

import dev.cairn.artifacts.ArtifactPath;
import dev.cairn.artifacts.ArtifactRepository;
import dev.cairn.artifacts.ArtifactRoot;
import dev.cairn.core.CairnException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Optional;

/**
 * A file in a run's artifact tree named by its {@code mlflow-artifacts:/<experiment>/<run>/artifacts/<path>}
 * location, the form the registry stores version locations in.
 */
record StoredArtifact(ArtifactRoot root, ArtifactPath path) {
    static final String SCHEME = "mlflow-artifacts:/";

    /** The artifact a location names; fails naming the location when it is not inside a run's tree. */
    static StoredArtifact parse(String location) {
        CairnException.requireArgument(
                location.startsWith(SCHEME), "artifact location '" + location + "' must start with " + SCHEME);
        ArtifactPath all = ArtifactPath.of(location.substring(SCHEME.length()));
        List<String> segments = all.segments();
        CairnException.requireArgument(
                segments.size() >= 3 && segments.get(2).equals("artifacts"),
                "artifact location '" + location + "' is not inside <experiment>/<run>/artifacts");
        return new StoredArtifact(
                ArtifactRoot.ofRun(segments.get(0), segments.get(1)), all.subpath(3, segments.size()));
    }

    static StoredArtifact of(String experimentId, String runId, String path) {
        return new StoredArtifact(ArtifactRoot.ofRun(experimentId, runId), ArtifactPath.of(path));
    }

    StoredArtifact resolve(String child) {
        return new StoredArtifact(root, path.resolve(ArtifactPath.of(child)));
    }

    String location() {
        return SCHEME + root.path().resolve(path).value();
    }

    /** The file's content as UTF-8 text, empty when there is no such file. */
    Optional<String> read(ArtifactRepository artifacts) {
        if (path.isRoot() || artifacts.file(root, path).isEmpty()) {
            return Optional.empty();
        }
        try (InputStream in = artifacts.open(root, path)) {
            return Optional.of(new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read artifact " + location(), e);
        }
    }
}
