package dev.cairn.artifacts;

import dev.cairn.core.CairnException;
import dev.cairn.core.ErrorCode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.UUID;

/**
 * Writing files so that they appear whole or not at all: content goes to a temporary file in the
 * destination's directory tree, is forced to disk, then renamed into place.
 */
final class AtomicFiles {
    static final String TEMP_SUFFIX = ".part";
    private static final int BUFFER = 1 << 16;

    private AtomicFiles() {}

    /** A fully written temporary file with the digest and size of its content. */
    record Spooled(Path file, BlobRef ref) {}

    /** Copies {@code content} into a new, fsynced temporary file in {@code dir}, hashing it on the way. */
    static Spooled spool(InputStream content, Path dir) {
        return spool(content, dir, true);
    }

    /**
     * Copies {@code content} into a new temporary file in {@code dir}, hashing it on the way; forced
     * to disk only when {@code durable} (a copy that is uploaded and deleted at once need not be).
     */
    static Spooled spool(InputStream content, Path dir, boolean durable) {
        Path temp = newTempFile(dir, "blob");
        MessageDigest digest = Sha256.newDigest();
        long size = 0;
        try (FileChannel out = FileChannel.open(temp, StandardOpenOption.WRITE)) {
            byte[] buffer = new byte[BUFFER];
            int n;
            while ((n = content.read(buffer)) >= 0) {
                digest.update(buffer, 0, n);
                writeFully(out, buffer, n);
                size += n;
            }
            if (durable) {
                out.force(true);
            }
        } catch (IOException | RuntimeException e) {
            deleteQuietly(temp);
            throw failure("could not store blob content", e);
        }
        return new Spooled(temp, new BlobRef(Sha256.hex(digest), size));
    }

    /**
     * Writes a stream to {@code target} atomically. The stream is read to its end before the file is
     * renamed into place, so a verifying stream that fails at its end leaves no target behind.
     */
    static void publish(InputStream content, Path target) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path temp = newTempFile(dir, "." + target.getFileName());
        try (FileChannel out = FileChannel.open(temp, StandardOpenOption.WRITE)) {
            byte[] buffer = new byte[BUFFER];
            int n;
            while ((n = content.read(buffer)) >= 0) {
                writeFully(out, buffer, n);
            }
            out.force(true);
        } catch (IOException | RuntimeException e) {
            deleteQuietly(temp);
            throw e;
        }
        moveIntoPlace(temp, target);
    }

    /** Renames {@code temp} to {@code target} atomically, replacing it, and makes the rename durable. */
    static void moveIntoPlace(Path temp, Path target) throws IOException {
        try {
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            deleteQuietly(temp);
            throw e;
        }
        forceDirectory(target.toAbsolutePath().getParent());
    }

    static Path newTempFile(Path dir, String prefix) {
        try {
            Files.createDirectories(dir);
            Path temp = dir.resolve(prefix + "." + UUID.randomUUID() + TEMP_SUFFIX);
            Files.createFile(temp);
            return temp;
        } catch (IOException e) {
            throw failure("could not create a temporary file in " + dir, e);
        }
    }

    static void deleteQuietly(Path path) {
        try {
            Files.deleteIfExists(path);
        } catch (IOException ignored) {
            // Best effort: a leftover temporary file is invisible to readers and swept later.
        }
    }

    static CairnException failure(String message, Exception cause) {
        if (cause instanceof CairnException ce) {
            return ce;
        }
        Throwable root = cause instanceof UncheckedIOException u ? u.getCause() : cause;
        return new CairnException(ErrorCode.INTERNAL_ERROR, message + ": " + root, root);
    }

    private static void writeFully(FileChannel out, byte[] buffer, int length) throws IOException {
        ByteBuffer bytes = ByteBuffer.wrap(buffer, 0, length);
        while (bytes.hasRemaining()) {
            out.write(bytes);
        }
    }

    private static void forceDirectory(Path dir) {
        // Makes the rename itself survive a crash; not every platform can open a directory.
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException | UnsupportedOperationException ignored) {
            // The data is already durable; only the directory entry may be lost on power failure.
        }
    }
}
