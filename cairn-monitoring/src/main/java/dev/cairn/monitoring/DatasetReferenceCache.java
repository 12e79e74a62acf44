package dev.cairn.monitoring;

import dev.cairn.core.CairnException;
import dev.cairn.core.ErrorCode;
import dev.cairn.datasets.DatasetVersion;
import dev.cairn.datasets.DatasetVersions;
import dev.cairn.datasets.VersionDetails;
import dev.cairn.store.Database;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * Resolves {@link DatasetReference}s to a file of a verified checkout of the version. Each version is
 * checked out once, by its id, into a {@code .partial-} directory that is renamed into place only
 * when every file is restored and verified, so that monitors checking out the same version at the
 * same time, or a crash half-way, never expose a partial copy; a partial directory left by a crash is
 * never read and is swept an hour later.
 */
final class DatasetReferenceCache {
    private static final String PARTIAL = ".partial-";
    private static final Duration ABANDONED = Duration.ofHours(1);
    private static final int LISTED = 10;

    private final DatasetVersions versions;
    private final Path cache;

    DatasetReferenceCache(Database database, ReferenceDatasets datasets) {
        this.versions = new DatasetVersions(database, datasets.blobs());
        this.cache = datasets.cache();
    }

    /** The version's file a monitor reads, checked out if it is not cached yet. */
    ReferenceFiles.Resolved resolve(DatasetReference reference, String shown) {
        VersionDetails details = details(reference, shown);
        String file = pick(details, reference, shown);
        Path directory = checkedOut(details.version());
        return new ReferenceFiles.Resolved(
                directory.resolve(file), details.version().uri(), file);
    }

    private VersionDetails details(DatasetReference reference, String shown) {
        List<DatasetVersion> all = versions.list(reference.name());
        if (all.isEmpty()) {
            throw CairnException.notFound(
                    "dataset '" + reference.name() + "' of reference '" + shown + "' does not exist");
        }
        if (all.stream().noneMatch(v -> v.number() == reference.version())) {
            throw CairnException.notFound(
                    "version " + reference.version() + " of dataset '" + reference.name() + "' (reference '" + shown
                            + "') does not exist; the latest is " + all.get(0).number());
        }
        return versions.show(reference.ref());
    }

    /** The named file, or the version's only tabular file (any file when the version has no table summaries). */
    private static String pick(VersionDetails details, DatasetReference reference, String shown) {
        String version = details.version().ref();
        if (reference.namedFile().isPresent()) {
            String file = reference.namedFile().get();
            if (!details.manifest().byPath().containsKey(file)) {
                throw CairnException.notFound("file '" + file + "' is not in dataset version " + version
                        + " (reference '" + shown + "'); its files: "
                        + listed(new ArrayList<>(details.manifest().byPath().keySet())));
            }
            return file;
        }
        List<String> tables = new ArrayList<>(details.tables().tables().keySet());
        if (tables.isEmpty()) {
            tables = new ArrayList<>(details.manifest().byPath().keySet());
        }
        CairnException.requireArgument(
                tables.size() == 1,
                "dataset version " + version + " (reference '" + shown + "') holds " + tables.size()
                        + " tabular files: name one, as " + shown + "/FILE; its tabular files: " + listed(tables));
        return tables.get(0);
    }

    private static String listed(List<String> files) {
        return files.size() <= LISTED
                ? String.join(", ", files)
                : String.join(", ", files.subList(0, LISTED)) + ", ... (" + files.size() + " in all)";
    }

    /** The cached checkout of {@code version}, made now if absent. */
    private Path checkedOut(DatasetVersion version) {
        Path directory = cache.resolve(version.id());
        if (Files.isDirectory(directory)) {
            return directory;
        }
        Path partial = cache.resolve(PARTIAL + UUID.randomUUID());
        try {
            Files.createDirectories(cache);
            sweepAbandoned();
            // By id, so the directory named by the id holds exactly that content.
            versions.checkout(version.name() + ":" + version.id(), partial, false);
            try {
                Files.move(partial, directory, StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException e) {
                if (!Files.isDirectory(directory)) {
                    throw e;
                }
                // Another monitor published the same version first: the same verified content.
            }
        } catch (IOException | UncheckedIOException e) {
            throw new CairnException(
                    ErrorCode.INTERNAL_ERROR,
                    "cannot cache dataset version " + version.ref() + " in '" + cache + "': " + e.getMessage(),
                    e);
        } finally {
            deleteTree(partial);
        }
        return directory;
    }

    private void sweepAbandoned() throws IOException {
        Instant before = Instant.now().minus(ABANDONED);
        try (Stream<Path> children = Files.list(cache)) {
            for (Path child : children.toList()) {
                if (child.getFileName().toString().startsWith(PARTIAL) && modifiedBefore(child, before)) {
                    deleteTree(child);
                }
            }
        }
    }

    /**
     * Whether {@code path} was last modified before {@code time}; false when it is gone, as when a
     * checkout running beside this one has just published or deleted its partial directory.
     */
    private static boolean modifiedBefore(Path path, Instant time) throws IOException {
        try {
            return Files.getLastModifiedTime(path).toInstant().isBefore(time);
        } catch (NoSuchFileException e) {
            return false;
        }
    }

    private static void deleteTree(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> tree = Files.walk(root)) {
            for (Path p : tree.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException | UncheckedIOException e) {
            // Left for the next sweep: a partial directory is never read.
        }
    }
}
