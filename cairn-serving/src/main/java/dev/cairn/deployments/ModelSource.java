package dev.cairn.deployments;

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
}
