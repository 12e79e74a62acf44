package dev.cairn.monitoring;

import dev.cairn.core.CairnException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Where a monitor's reference table may be read from. A reference is either a dataset version,
 * {@code cairn-dataset:/NAME/VERSION[/FILE]}, read from a verified checkout in the dataset cache, or
 * a file. In-process callers may name any file they can read; a server confines file references to
 * its reference directories, so that an API client cannot make the server read an arbitrary local
 * file. Links are resolved before the check.
 */
final class ReferenceFiles {
    private final List<Path> roots;
    private final Optional<DatasetReferenceCache> datasets;

    /**
     * A resolved reference: the table file read, and for a dataset version its lineage URI and the
     * file's path inside it (both empty for a file reference).
     */
    record Resolved(Path file, String datasetUri, String datasetFile) {
        static Resolved ofFile(Path file) {
            return new Resolved(file, "", "");
        }

        boolean fromDataset() {
            return !datasetUri.isEmpty();
        }
    }

    private ReferenceFiles(List<Path> roots, Optional<DatasetReferenceCache> datasets) {
        this.roots = List.copyOf(roots);
        this.datasets = datasets;
    }

    static ReferenceFiles anywhere() {
        return new ReferenceFiles(List.of(), Optional.empty());
    }

    static ReferenceFiles under(List<Path> roots) {
        CairnException.requireArgument(!roots.isEmpty(), "at least one reference directory is required");
        List<Path> absolute = new ArrayList<>();
        for (Path root : roots) {
            absolute.add(root.toAbsolutePath().normalize());
        }
        return new ReferenceFiles(absolute, Optional.empty());
    }

    /** The same file rules, with dataset-version references resolved through {@code cache}. */
    ReferenceFiles withDatasets(DatasetReferenceCache cache) {
        return new ReferenceFiles(roots, Optional.of(cache));
    }

    /** What {@code reference} names: a dataset version's file, or a readable file. */
    Resolved resolve(String reference) {
        if (DatasetReference.names(reference)) {
            DatasetReference parsed = DatasetReference.parse(reference);
            DatasetReferenceCache cache = datasets.orElseThrow(() -> CairnException.invalid(
                    "reference '" + reference + "' names a dataset version, but these monitors have no dataset store"));
            return cache.resolve(parsed, reference);
        }
        return Resolved.ofFile(resolveFile(reference));
    }

    /** The readable file {@code reference} names; relative names are taken from the first reference directory. */
    private Path resolveFile(String reference) {
        Path path = Path.of(reference);
        if (!roots.isEmpty() && !path.isAbsolute()) {
            path = roots.get(0).resolve(path);
        }
        CairnException.requireArgument(
                Files.isRegularFile(path), "reference is not a readable file: '" + reference + "'");
        if (roots.isEmpty()) {
            return path;
        }
        Path real = realPath(path, reference);
        for (Path root : roots) {
            if (Files.isDirectory(root) && real.startsWith(realPath(root, root.toString()))) {
                return real;
            }
        }
        throw CairnException.invalid("reference must be a file under the server's reference directories " + roots
                + " or a dataset version (cairn-dataset:/NAME/VERSION[/FILE]); got '" + reference + "'");
    }

    private static Path realPath(Path path, String shown) {
        try {
            return path.toRealPath();
        } catch (IOException e) {
            throw CairnException.invalid("reference is not a readable file: '" + shown + "'");
        }
    }
}
