package dev.cairn.pipelines.execution;

import dev.cairn.artifacts.ArtifactPath;
import dev.cairn.artifacts.ArtifactRepository;
import dev.cairn.artifacts.ArtifactRoot;
import dev.cairn.artifacts.BlobRef;
import dev.cairn.core.CairnException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A step run's artifact tree, a view over blobs already stored: {@code logs/stdout.log}, {@code
 * logs/stderr.log}, and {@code outputs/<name>} (a file, or the files of a directory below it).
 */
final class StepArtifacts {
    private StepArtifacts() {}

    /** One file of the tree. */
    record Link(ArtifactPath path, BlobRef blob) {}

    static List<Link> links(
            OutputStore outputs, Map<String, StoredOutput> stored, Optional<BlobRef> stdout, Optional<BlobRef> stderr) {
        List<Link> links = new ArrayList<>();
        stdout.ifPresent(b -> links.add(new Link(ArtifactPath.of("logs/stdout.log"), b)));
        stderr.ifPresent(b -> links.add(new Link(ArtifactPath.of("logs/stderr.log"), b)));
        stored.forEach((name, output) -> {
            for (ContentHashes.Entry file : outputs.files(output)) {
                String path = "outputs/" + name + (file.path().isEmpty() ? "" : "/" + file.path());
                try {
                    links.add(new Link(ArtifactPath.of(path), new BlobRef(file.sha256(), file.size())));
                } catch (CairnException e) {
                    // A file name the artifact tree refuses stays out of the view; the output itself is stored.
                }
            }
        });
        return links;
    }

    static void record(ArtifactRepository artifacts, String experimentId, String runId, List<Link> links) {
        ArtifactRoot root = ArtifactRoot.ofRun(experimentId, runId);
        links.forEach(l -> artifacts.link(root, l.path(), l.blob()));
    }
}
