package dev.cairn.pipelines.execution;

import dev.cairn.core.CairnException;
import dev.cairn.core.ErrorCode;
import dev.cairn.datasets.DatasetVersion;
import dev.cairn.datasets.DatasetVersions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Resolves {@code dataset:<name>[:<version, alias or id>]} to a checked-out copy of that dataset
 * version, kept under a directory per version id. Its content hash is the version id (the SHA-256
 * of its manifest), so a step re-runs exactly when its dataset's content changes.
 */
final class DatasetInputResolver implements InputResolver {
    static final String PREFIX = "dataset:";

    private final DatasetVersions versions;
    private final Path checkouts;

    DatasetInputResolver(DatasetVersions versions, Path checkouts) {
        this.versions = versions;
        this.checkouts = checkouts;
    }

    @Override
    public boolean handles(String reference) {
        return reference.startsWith(PREFIX);
    }

    @Override
    public ResolvedInput resolve(String reference, Path projectDir) {
        DatasetVersion version = versions.resolve(reference.substring(PREFIX.length()));
        Path dir = checkouts.resolve(version.name()).resolve(version.id());
        if (!Files.isDirectory(dir)) {
            checkOut(version, dir);
        }
        return new ResolvedInput(dir, version.id());
    }

    // Checked out beside the target and moved into place, so that a directory there is always complete.
    private void checkOut(DatasetVersion version, Path dir) {
        try {
            Files.createDirectories(dir.getParent());
            Path staging = Files.createTempDirectory(dir.getParent(), ".checkout-");
            versions.checkout(version.name() + ":" + version.id(), staging, true);
            try {
                Files.move(staging, dir, StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException e) {
                // Linux reports a rename onto a non-empty directory as a plain "Directory not empty"
                // FileSystemException, so the test is whether the version is now in place.
                OutputStore.deleteTree(staging);
                if (!Files.isDirectory(dir)) {
                    throw e;
                }
            }
        } catch (IOException e) {
            throw new CairnException(
                    ErrorCode.INTERNAL_ERROR, "cannot check out dataset " + version.name() + ":" + version.number(), e);
        } catch (UncheckedIOException e) {
            throw new CairnException(ErrorCode.INTERNAL_ERROR, e.getMessage(), e);
        }
    }
}
