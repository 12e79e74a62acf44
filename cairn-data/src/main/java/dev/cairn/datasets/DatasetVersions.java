package dev.cairn.datasets;

import dev.cairn.artifacts.BlobBatch;
import dev.cairn.artifacts.BlobRef;
import dev.cairn.artifacts.BlobStore;
import dev.cairn.artifacts.CorruptBlobException;
import dev.cairn.artifacts.StagedFiles;
import dev.cairn.core.CairnException;
import dev.cairn.core.ErrorCode;
import dev.cairn.store.Database;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Dataset versions: add a file or directory as a new version, list, show, diff, check out and
 * remove versions. Content goes to the {@link BlobStore} first, in one batch (deduplicated: a file
 * already stored is not stored again) that is durable before the version becomes visible in one
 * transaction, so an add that fails half-way leaves no version behind, only unreferenced complete
 * blobs (or temporary files and unindexed packs the store ignores and sweeps) that harm nothing.
 */
public final class DatasetVersions {
    private final BlobStore blobs;
    private final DatasetCatalog catalog;

    public DatasetVersions(Database database, BlobStore blobs) {
        this.blobs = blobs;
        this.catalog = new DatasetCatalog(database);
    }

    /** What to add: a file or directory, the dataset name, a message, and whether to profile tables. */
    public record AddRequest(Path source, String name, String message, boolean profile) {
        public AddRequest(Path source, String name, String message) {
            this(source, name, message, true);
        }
    }

    /** The outcome of an add: the version, and false when identical content was already that dataset's version. */
    public record AddResult(DatasetVersion version, boolean created, long bytesStored) {}

    public AddResult add(AddRequest request) {
        return add(request, AddListener.NONE);
    }

    public AddResult add(AddRequest request, AddListener listener) {
        DatasetRef.requireName(request.name());
        Path source = request.source().toAbsolutePath().normalize();
        Map<String, Path> files = listFiles(source);
        try (BlobBatch batch = blobs.batch()) {
            List<BlobBatch.Put> puts = ParallelFiles.map(
                    new ArrayList<>(files.entrySet()),
                    ParallelFiles.IO_THREADS,
                    e -> store(batch, e.getValue(), e.getKey(), listener));
            List<ManifestEntry> entries = new ArrayList<>(puts.size());
            int i = 0;
            for (String path : files.keySet()) {
                BlobRef ref = puts.get(i++).ref();
                entries.add(new ManifestEntry(path, ref.sha256(), ref.size()));
            }
            Manifest manifest = new Manifest(entries);
            TableSummaries summaries =
                    request.profile() ? summarize(request.name(), files, manifest) : TableSummaries.of(Map.of());
            String id = batch.put(manifest.toCanonicalJson()).ref().sha256();
            String summarySha = batch.put(summaries.toJson()).ref().sha256();
            // Every blob the version references is durable before the version becomes visible.
            batch.commit();
            DatasetCatalog.Published published = catalog.publish(new DatasetCatalog.Draft(
                    request.name(),
                    id,
                    summarySha,
                    request.message(),
                    source.toString(),
                    manifest.files().size(),
                    manifest.totalBytes()));
            long bytesStored = puts.stream()
                    .filter(BlobBatch.Put::added)
                    .mapToLong(p -> p.ref().size())
                    .sum();
            return new AddResult(published.version(), published.created(), bytesStored);
        }
    }

    /** The files below {@code source} by relative path ('/'-separated), or the single file itself. */
    private static Map<String, Path> listFiles(Path source) {
        if (!Files.exists(source, LinkOption.NOFOLLOW_LINKS)) {
            throw CairnException.notFound("path '" + source + "' does not exist");
        }
        Map<String, Path> files = new TreeMap<>();
        if (!Files.isDirectory(source)) {
            requireRegular(source, source.getFileName().toString());
            files.put(source.getFileName().toString(), source);
            return files;
        }
        try {
            Files.walkFileTree(source, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                    String relative = source.relativize(file).toString().replace(File.separatorChar, '/');
                    // Links are read through, as a directory walk that follows them would; links to
                    // directories are skipped.
                    if (attrs.isRegularFile() || !Files.isDirectory(file)) {
                        if (!attrs.isRegularFile()) {
                            requireRegular(file, relative);
                        }
                        files.put(relative, file);
                    }
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException | UncheckedIOException e) {
            throw CairnException.invalid("directory '" + source + "' could not be listed: " + e.getMessage());
        }
        CairnException.requireArgument(!files.isEmpty(), "directory '" + source + "' contains no files");
        return files;
    }

    private static void requireRegular(Path file, String displayPath) {
        CairnException.requireArgument(
                Files.isRegularFile(file),
                "'" + displayPath + "' is not a regular file (a broken link, a device or a socket?)");
        CairnException.requireArgument(Files.isReadable(file), "file '" + displayPath + "' is not readable");
    }

    /** Hashes and stores a file's content in one read; read failures name {@code displayPath}. */
    private static BlobBatch.Put store(BlobBatch batch, Path file, String displayPath, AddListener listener) {
        BlobBatch.Put put;
        try (InputStream in = Files.newInputStream(file)) {
            put = batch.put(in);
        } catch (IOException e) {
            throw ParallelFiles.readFailure(displayPath, e);
        }
        listener.fileStored(
                new ManifestEntry(displayPath, put.ref().sha256(), put.ref().size()));
        return put;
    }

    private TableSummaries summarize(String name, Map<String, Path> files, Manifest manifest) {
        Map<String, TableSummary> known = previousSummaries(name);
        Map<String, TableSummary> tables = new HashMap<>();
        try (TableProfiler profiler = new TableProfiler()) {
            for (ManifestEntry entry : manifest.files()) {
                Optional<String> format = TableProfiler.formatOf(entry.path());
                if (format.isPresent()) {
                    TableSummary summary = known.get(entry.sha256());
                    tables.put(
                            entry.path(),
                            summary != null
                                    ? summary
                                    : profiler.profile(files.get(entry.path()), entry.path(), format.get()));
                }
            }
        }
        return TableSummaries.of(tables);
    }

    /** The summaries of the newest version by content digest, so that unchanged files are not profiled again. */
    private Map<String, TableSummary> previousSummaries(String name) {
        Map<String, TableSummary> bySha = new HashMap<>();
        catalog.latest(name).ifPresent(previous -> {
            VersionDetails details = details(previous);
            for (ManifestEntry entry : details.manifest().files()) {
                TableSummary summary = details.tables().tables().get(entry.path());
                if (summary != null) {
                    bySha.put(entry.sha256(), summary);
                }
            }
        });
        return bySha;
    }

    /** Every version of {@code name}, newest first. */
    public List<DatasetVersion> list(String name) {
        DatasetRef.requireName(name);
        return catalog.list(Optional.of(name));
    }

    /** Every version of every dataset, by name and newest first. */
    public List<DatasetVersion> listAll() {
        return catalog.list(Optional.empty());
    }

    public DatasetVersion resolve(String ref) {
        return catalog.resolve(DatasetRef.parse(ref));
    }

    public VersionDetails show(String ref) {
        return details(resolve(ref));
    }

    private VersionDetails details(DatasetVersion version) {
        Manifest manifest = Manifest.fromJson(readBlob(version.id(), "manifest of " + version.ref()));
        TableSummaries tables =
                TableSummaries.fromJson(readBlob(version.summarySha256(), "table summaries of " + version.ref()));
        return new VersionDetails(version, manifest, tables);
    }

    private byte[] readBlob(String sha256, String what) {
        try (InputStream in = blobs.open(sha256)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new CairnException(
                    ErrorCode.INTERNAL_ERROR, "the " + what + " could not be read: " + e.getMessage(), e);
        }
    }

    public DatasetDiff diff(String fromRef, String toRef) {
        return DatasetDiffer.diff(show(fromRef), show(toRef));
    }

    /**
     * Restores every file of a version into {@code directory}, verifying each digest before the
     * file appears. Refuses a non-empty directory unless {@code force}, which overwrites the
     * version's files and leaves other files alone.
     */
    public CheckoutResult checkout(String ref, Path directory, boolean force) {
        VersionDetails details = show(ref);
        Path root = directory.toAbsolutePath().normalize();
        requireEmptyOrForced(root, force);
        try (StagedFiles staged = new StagedFiles()) {
            ParallelFiles.map(
                    details.manifest().files(),
                    ParallelFiles.IO_THREADS,
                    entry -> restore(staged, details.version(), entry, root));
            // All files appear together, each verified, once all are durable.
            staged.publish();
        } catch (IOException e) {
            throw CairnException.invalid("checkout into '" + root + "' failed: " + e.getMessage());
        }
        return new CheckoutResult(
                details.version(),
                root,
                details.manifest().files().size(),
                details.manifest().totalBytes());
    }

    private static void requireEmptyOrForced(Path root, boolean force) {
        if (!Files.exists(root) || force) {
            return;
        }
        CairnException.requireArgument(Files.isDirectory(root), "checkout target '" + root + "' is not a directory");
        try (Stream<Path> children = Files.list(root)) {
            if (children.findAny().isPresent()) {
                throw new CairnException(
                        ErrorCode.INVALID_STATE,
                        "checkout target '" + root + "' is not empty; use --force to overwrite the version's files");
            }
        } catch (IOException e) {
            throw CairnException.invalid("checkout target '" + root + "' could not be listed: " + e.getMessage());
        }
    }

    private Void restore(StagedFiles staged, DatasetVersion version, ManifestEntry entry, Path root) {
        ManifestEntry.requireSafePath(entry.path());
        Path target = root.resolve(entry.path()).normalize();
        CairnException.requireArgument(
                target.startsWith(root), "manifest path '" + entry.path() + "' escapes the target");
        try (InputStream in = blobs.open(entry.sha256())) {
            staged.write(in, target);
        } catch (CorruptBlobException e) {
            throw checkoutFailure(version, entry, new CairnException(ErrorCode.INTERNAL_ERROR, e.getMessage(), e));
        } catch (IOException e) {
            throw CairnException.invalid("cannot write '" + entry.path() + "': " + e.getMessage());
        } catch (CairnException e) {
            throw checkoutFailure(version, entry, e);
        }
        return null;
    }

    private static CairnException checkoutFailure(DatasetVersion version, ManifestEntry entry, CairnException e) {
        if (e.getCause() instanceof CorruptBlobException) {
            return new CairnException(
                    ErrorCode.INTERNAL_ERROR,
                    "file '" + entry.path() + "' of " + version.ref() + " is corrupted in the store (blob "
                            + entry.sha256() + "): " + e.getMessage(),
                    e);
        }
        if (e.code() == ErrorCode.RESOURCE_DOES_NOT_EXIST) {
            return new CairnException(
                    ErrorCode.INTERNAL_ERROR,
                    "file '" + entry.path() + "' of " + version.ref() + " is missing from the store (blob "
                            + entry.sha256() + ")",
                    e);
        }
        return new CairnException(
                e.code(), "file '" + entry.path() + "' of " + version.ref() + ": " + e.getMessage(), e);
    }

    /** Removes a version's record and aliases; its blobs stay, as other versions may share them. */
    public DatasetVersion remove(String ref) {
        DatasetVersion version = resolve(ref);
        catalog.remove(version);
        return version;
    }

    /** Points {@code alias} of the version's dataset at that version (moving it if it pointed elsewhere). */
    public DatasetVersion setAlias(String ref, String alias) {
        DatasetVersion version = resolve(ref);
        catalog.setAlias(version, alias);
        return resolve(version.ref());
    }

    public boolean removeAlias(String name, String alias) {
        DatasetRef.requireName(name);
        return catalog.removeAlias(name, alias);
    }
}
