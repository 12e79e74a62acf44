package dev.cairn.pipelines.execution;

import dev.cairn.artifacts.ArtifactRepository;
import dev.cairn.artifacts.BlobStore;
import dev.cairn.pipelines.builtin.BuiltinSteps;
import dev.cairn.tracking.TrackingStore;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ExecutorService;

/** What every execution of an engine shares. */
record EngineParts(
        RunStore store,
        TrackingStore tracking,
        BlobStore blobs,
        ArtifactRepository artifacts,
        OutputStore outputs,
        BuiltinSteps builtins,
        List<InputResolver> resolvers,
        Path logRoot,
        String trackingUri,
        ExecutorService workers,
        String owner,
        StepListener listener) {

    ResolvedInput resolve(String reference, Path projectDir) {
        for (InputResolver resolver : resolvers) {
            if (resolver.handles(reference)) {
                return resolver.resolve(reference, projectDir);
            }
        }
        return InputResolver.files().resolve(reference, projectDir);
    }
}
