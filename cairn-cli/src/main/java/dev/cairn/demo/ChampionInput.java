package dev.cairn.demo;

import dev.cairn.core.CairnException;
import dev.cairn.deployments.ModelSource;
import dev.cairn.models.ModelPackage;
import dev.cairn.pipelines.execution.InputResolver;
import dev.cairn.pipelines.execution.ResolvedInput;
import dev.cairn.registry.ModelVersion;
import dev.cairn.registry.RegistryStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Resolves {@code champion:<model>} to the package of the version the {@code champion} alias names,
 * hashed by the package's content hash: a step comparing with the champion runs again exactly when
 * the champion changes. Without a champion it is an empty directory.
 */
final class ChampionInput implements InputResolver {
    static final String PREFIX = "champion:";
    // the content hash of "no champion": a fixed value, so a first model's evaluation is cached like any other
    private static final String NONE = "0000000000000000000000000000000000000000000000000000000000000000";

    private final RegistryStore registry;
    private final ModelSource models;
    private final Path empty;

    ChampionInput(RegistryStore registry, ModelSource models, Path empty) {
        this.registry = registry;
        this.models = models;
        this.empty = empty;
    }

    @Override
    public boolean handles(String reference) {
        return reference.startsWith(PREFIX);
    }

    @Override
    public ResolvedInput resolve(String reference, Path projectDir) {
        String model = reference.substring(PREFIX.length());
        ModelVersion champion;
        try {
            champion = registry.getModelVersionByAlias(model, "champion");
        } catch (CairnException absent) {
            return none();
        }
        Path directory = models.resolve("models:/" + model + "/" + champion.version());
        return new ResolvedInput(directory, ModelPackage.read(directory).contentHash());
    }

    private ResolvedInput none() {
        try {
            Files.createDirectories(empty);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new ResolvedInput(empty, NONE);
    }
}
