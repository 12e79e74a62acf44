package dev.cairn.deployments;

import dev.cairn.artifacts.ArtifactRepository;
import dev.cairn.registry.RegistryStore;
import java.nio.file.Path;

/**
 * Turns a model URI of a deployment into a local model package directory the engine can load.
 * {@link #directories()} takes package directories; a registry-backed source resolves {@code
 * models:/<name>/<version>}.
 */
@FunctionalInterface
public interface ModelSource {

    /** The package directory of {@code uri}; a 400-class error naming the URI when it cannot be resolved. */
    Path resolve(String uri);

    /** Plain package directories, as an absolute path or a {@code file:} URI. */
    static ModelSource directories() {
        return new DirectoryModelSource();
    }

    /**
     * {@code models:/<name>/<version>} and {@code models:/<name>@<alias>} from {@code registry},
     * downloaded from {@code artifacts} once into {@code cache}; package directories as {@link #directories()}.
     */
    static ModelSource registry(RegistryStore registry, ArtifactRepository artifacts, Path cache) {
        return new RegistryModelSource(registry, artifacts, cache, directories());
    }
}
