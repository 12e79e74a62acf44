package dev.cairn.pipelines.execution;

import java.nio.file.Path;

/**
 * Turns a step input reference into a local path and the hash of its content. Files and
 * directories under the project directory are resolved by {@link #files()}; other kinds (dataset
 * versions such as {@code dataset:flights@3}) plug in as further resolvers, asked in order.
 */
public interface InputResolver {
    /** Whether this resolver understands {@code reference}. */
    boolean handles(String reference);

    /** Resolves a reference; a missing input fails with {@code RESOURCE_DOES_NOT_EXIST}. */
    ResolvedInput resolve(String reference, Path projectDir);

    /** Paths relative to the project directory: files hashed, directories as sorted manifests. */
    static InputResolver files() {
        return FileInputResolver.INSTANCE;
    }
}
