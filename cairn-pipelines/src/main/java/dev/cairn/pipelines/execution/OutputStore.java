package dev.cairn.pipelines.execution;

import dev.cairn.artifacts.BlobStore;
import dev.cairn.core.CairnException;
import dev.cairn.pipelines.OutputSpec;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Moves step outputs between the project directory and the blob store: files as blobs,
 * directories as a manifest blob naming the blobs of their files. Restoring verifies every blob
 * and replaces an output only when its content differs.
 */
final class OutputStore {
    private final BlobStore blobs;

    OutputStore(BlobStore blobs) {
        this.blobs = blobs;
    }

    /** Stores an output that the step has written completely; fails when it is missing or of the wrong kind. */
    StoredOutput store(OutputSpec spec, Path path) {
        if (spec.kind() == OutputSpec.Kind.FILE) {
            if (!Files.isRegularFile(path)) {
                throw missing(spec, path, "file");
            }
            return new StoredOutput("file", blobs.put(path).sha256());
        }
        if (!Files.isDirectory(path)) {
            throw missing(spec, path, "directory");
        }
        List<ContentHashes.Entry> entries = new ArrayList<>();
        try (Stream<Path> files = Files.walk(path)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                var ref = blobs.put(file);
                entries.add(new ContentHashes.Entry(
                        path.relativize(file).toString().replace('\\', '/'), ref.sha256(), ref.size()));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list output " + path, e);
        }
        entries.sort(Comparator.comparing(ContentHashes.Entry::path));
        byte[] manifest = ContentHashes.manifestText(entries).getBytes(StandardCharsets.UTF_8);
        return new StoredOutput(
                "dir", blobs.put(new ByteArrayInputStream(manifest)).sha256());
    }

    /** Whether every blob an output needs is in the store. */
    boolean available(StoredOutput output) {
        if (!blobs.contains(output.sha256())) {
            return false;
        }
        return !output.isDirectory() || manifest(output).stream().allMatch(e -> blobs.contains(e.sha256()));
    }

    /** Puts an output in place unless the path already holds that content; returns whether it wrote anything. */
    boolean restore(StoredOutput output, Path path) {
        if (Files.exists(path) && ContentHashes.ofPath(path).equals(output.sha256())) {
            return false;
        }
        try {
            Files.createDirectories(path.getParent());
            if (!output.isDirectory()) {
                deleteTree(path);
                blobs.copyTo(output.sha256(), path);
                return true;
            }
            Path staging = Files.createTempDirectory(path.getParent(), "." + path.getFileName() + ".restore-");
            for (ContentHashes.Entry entry : manifest(output)) {
                Path target = staging.resolve(entry.path()).normalize();
                if (!target.startsWith(staging)) {
                    throw CairnException.invalid("output manifest " + output.sha256() + " names " + entry.path());
                }
                Files.createDirectories(target.getParent());
                blobs.copyTo(entry.sha256(), target);
            }
            deleteTree(path);
            Files.move(staging, path, StandardCopyOption.ATOMIC_MOVE);
            return true;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot restore output " + path, e);
        }
    }

    /** The files of an output: one entry with an empty path for a file, the manifest for a directory. */
    List<ContentHashes.Entry> files(StoredOutput output) {
        return output.isDirectory()
                ? manifest(output)
                : List.of(new ContentHashes.Entry("", output.sha256(), blobs.size(output.sha256())));
    }

    private List<ContentHashes.Entry> manifest(StoredOutput output) {
        try (InputStream in = blobs.open(output.sha256())) {
            return ContentHashes.parseManifest(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read output manifest " + output.sha256(), e);
        }
    }

    static void deleteTree(Path path) throws IOException {
        if (!Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        if (Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
            try (Stream<Path> walk = Files.walk(path)) {
                for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        } else {
            Files.delete(path);
        }
    }

    private static CairnException missing(OutputSpec spec, Path path, String kind) {
        return CairnException.invalid("declared output '" + spec.name() + "' (" + spec.path() + ") is not a " + kind
                + " after the step ran" + (Files.exists(path) ? "" : ": nothing was written there"));
    }
}
