package dev.cairn.artifacts;

import dev.cairn.core.CairnException;
import dev.cairn.core.ErrorCode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.time.Instant;

/**
 * Blobs in a local directory as {@code sha256/ab/cdef...}; writes go through {@code tmp/} in the same
 * tree and are renamed into place. Links inside the tree are never followed.
 */
final class LocalBlobStore implements BlobStore {
    /** Temporary files older than this are left over from killed writers and are swept. */
    private static final Duration STALE_AFTER = Duration.ofDays(1);

    private final Path root;
    private final Path tmp;

    LocalBlobStore(Path root) {
        try {
            Files.createDirectories(root);
            this.root = root.toRealPath();
            this.tmp = this.root.resolve("tmp");
            Files.createDirectories(tmp);
        } catch (IOException e) {
            throw AtomicFiles.failure("could not open the blob store at " + root, e);
        }
        sweepStaleTempFiles();
    }

    @Override
    public BlobRef put(InputStream content) {
        AtomicFiles.Spooled spooled = AtomicFiles.spool(content, tmp);
        try {
            Path target = root.resolve(Sha256.key(spooled.ref().sha256()));
            if (isRegularFile(target)) {
                AtomicFiles.deleteQuietly(spooled.file());
            } else {
                Path dir = target.getParent();
                Files.createDirectories(dir);
                requireNoLinks(dir);
                AtomicFiles.moveIntoPlace(spooled.file(), target);
            }
            return spooled.ref();
        } catch (IOException | RuntimeException e) {
            AtomicFiles.deleteQuietly(spooled.file());
            throw AtomicFiles.failure("could not store blob " + spooled.ref().sha256(), e);
        }
    }

    @Override
    public BlobRef put(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            return put(in);
        } catch (NoSuchFileException e) {
            throw CairnException.notFound("file does not exist: " + file);
        } catch (IOException e) {
            throw AtomicFiles.failure("could not read " + file, e);
        }
    }

    @Override
    public boolean contains(String sha256) {
        return isRegularFile(blobPath(sha256));
    }

    @Override
    public long size(String sha256) {
        Path path = existingBlob(sha256);
        try {
            return Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS)
                    .size();
        } catch (IOException e) {
            throw missing(sha256);
        }
    }

    @Override
    public InputStream open(String sha256) {
        Path path = existingBlob(sha256);
        try {
            return new VerifyingInputStream(Files.newInputStream(path, LinkOption.NOFOLLOW_LINKS), sha256);
        } catch (IOException e) {
            throw missing(sha256);
        }
    }

    @Override
    public void copyTo(String sha256, Path target) {
        try (InputStream in = open(sha256)) {
            AtomicFiles.publish(in, target);
        } catch (CorruptBlobException e) {
            throw new CairnException(ErrorCode.INTERNAL_ERROR, e.getMessage(), e);
        } catch (IOException e) {
            throw AtomicFiles.failure("could not copy blob " + sha256 + " to " + target, e);
        }
    }

    @Override
    public BlobBatch batch() {
        return new LocalBlobBatch(this);
    }

    @Override
    public String toString() {
        return "LocalBlobStore[" + root + "]";
    }

    Path tmp() {
        return tmp;
    }

    Path blobPath(String sha256) {
        return root.resolve(Sha256.key(sha256));
    }

    private Path existingBlob(String sha256) {
        Path path = blobPath(sha256);
        if (!isRegularFile(path)) {
            throw missing(sha256);
        }
        return path;
    }

    /** True when a complete blob is at {@code path}. */
    boolean hasBlobAt(Path path) {
        return isRegularFile(path);
    }

    /** True only for a regular file reached without crossing a link anywhere below the root. */
    private boolean isRegularFile(Path path) {
        return Files.isRegularFile(path, LinkOption.NOFOLLOW_LINKS) && !hasLinkBelowRoot(path.getParent());
    }

    private boolean hasLinkBelowRoot(Path dir) {
        for (Path p = dir; p != null && p.startsWith(root) && !p.equals(root); p = p.getParent()) {
            if (Files.isSymbolicLink(p)) {
                return true;
            }
        }
        return false;
    }

    void requireNoLinks(Path dir) {
        if (hasLinkBelowRoot(dir)) {
            throw new CairnException(
                    ErrorCode.INTERNAL_ERROR, "blob store directory " + dir + " is a link; refusing to follow it");
        }
    }

    private static CairnException missing(String sha256) {
        return CairnException.notFound("blob " + sha256 + " does not exist");
    }

    private void sweepStaleTempFiles() {
        Instant cutoff = Instant.now().minus(STALE_AFTER);
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(tmp, "*" + AtomicFiles.TEMP_SUFFIX)) {
            for (Path entry : entries) {
                if (Files.getLastModifiedTime(entry, LinkOption.NOFOLLOW_LINKS)
                        .toInstant()
                        .isBefore(cutoff)) {
                    AtomicFiles.deleteQuietly(entry);
                }
            }
        } catch (IOException ignored) {
            // Sweeping is housekeeping; stale files never affect correctness.
        }
    }
}
