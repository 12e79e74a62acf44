package dev.cairn.artifacts;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Files written under temporary names and published together: each appears whole or not at all,
 * and all of them are on disk when {@link #publish} returns. Durability is paid once per group
 * (all contents, then all renames), not twice per file, which is what makes thousands of small
 * files cheap. Writers may stage files from several threads; closing discards what was not
 * published.
 */
public final class StagedFiles implements AutoCloseable {
    private static final int BUFFER = 1 << 18;

    /** Renames in different directories proceed in parallel in the file system; a few threads suffice. */
    private static final int RENAME_THREADS = 4;

    private static final ThreadLocal<byte[]> BUFFERS = ThreadLocal.withInitial(() -> new byte[BUFFER]);

    /** Temporary file to its destination; a temporary without a destination yet maps to itself. */
    private final Map<Path, Path> staged = new ConcurrentHashMap<>();

    /** Directories whose entries must be durable at publish besides the destinations' own. */
    private final Set<Path> syncDirs = ConcurrentHashMap.newKeySet();

    /** Files written in place that must be durable before anything is renamed. */
    private final Set<Path> forceFirst = ConcurrentHashMap.newKeySet();

    /**
     * Copies {@code content} to its end into a temporary file beside {@code target}; the target
     * appears at {@link #publish}. A stream that fails (a verifying stream at its end, say) leaves
     * nothing behind. Does not close the stream.
     */
    public void write(InputStream content, Path target) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        ensureDirectory(dir);
        Path temp = tempName(dir, "." + target.getFileName());
        try (FileChannel out = create(temp)) {
            byte[] buffer = BUFFERS.get();
            for (int n; (n = content.read(buffer)) >= 0; ) {
                writeFully(out, buffer, n);
            }
        } catch (IOException | RuntimeException e) {
            discard(temp);
            throw e;
        }
        stage(temp, target.toAbsolutePath());
    }

    /**
     * Makes every staged file durable, renames each into place (replacing what was there) and makes
     * the renames durable. Afterwards the group is empty and may be used again.
     */
    public void publish() throws IOException {
        List<Map.Entry<Path, Path>> moves = new ArrayList<>(staged.entrySet());
        for (Map.Entry<Path, Path> move : moves) {
            if (move.getKey().equals(move.getValue())) {
                throw new IllegalStateException("temporary file " + move.getKey() + " was never given a destination");
            }
        }
        List<Path> durable = new ArrayList<>(forceFirst);
        moves.forEach(move -> durable.add(move.getKey()));
        FileSync.files(durable);
        forceFirst.clear();
        Set<Path> dirs = ConcurrentHashMap.newKeySet();
        dirs.addAll(syncDirs);
        FileSync.inParallel(moves, RENAME_THREADS, move -> {
            Files.move(
                    move.getKey(),
                    move.getValue(),
                    StandardCopyOption.ATOMIC_MOVE,
                    StandardCopyOption.REPLACE_EXISTING);
            staged.remove(move.getKey());
            dirs.add(move.getValue().getParent());
        });
        FileSync.directories(dirs);
        syncDirs.clear();
    }

    /** Deletes every temporary file that was not published. */
    @Override
    public void close() {
        for (Path temp : staged.keySet()) {
            AtomicFiles.deleteQuietly(temp);
        }
        staged.clear();
        forceFirst.clear();
    }

    /** How many files wait for {@link #publish}. */
    int size() {
        return staged.size();
    }

    /**
     * A fresh name for a temporary file in {@code dir}, which is deleted at {@link #close} unless
     * published; create it with {@link #create}.
     */
    Path tempName(Path dir, String prefix) {
        Path temp = dir.resolve(prefix + "." + UUID.randomUUID() + AtomicFiles.TEMP_SUFFIX);
        staged.put(temp, temp);
        return temp;
    }

    /** Creates and opens a temporary file named by {@link #tempName} in one system call. */
    static FileChannel create(Path temp) throws IOException {
        return FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
    }

    /** Gives a temporary file of this group its destination. */
    void stage(Path temp, Path target) {
        staged.put(temp, target);
    }

    /** Deletes a temporary file of this group now. */
    void discard(Path temp) {
        staged.remove(temp);
        AtomicFiles.deleteQuietly(temp);
    }

    /** Also forces {@code file} (written in place, not renamed) at {@link #publish}, before any rename. */
    void forceAtPublish(Path file) {
        forceFirst.add(file);
    }

    /** Also makes the entries of {@code dir} durable at {@link #publish}. */
    void syncAtPublish(Path dir) {
        syncDirs.add(dir);
    }

    /** Creates {@code dir} and any missing parents, remembering where new entries appeared. */
    void ensureDirectory(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            createMissing(dir);
        }
    }

    /**
     * Creates {@code dir} with one system call when its parent exists (the common case of a
     * checkout: a new directory per file), else its parents first.
     */
    private void createMissing(Path dir) throws IOException {
        try {
            Files.createDirectory(dir);
        } catch (FileAlreadyExistsException e) {
            requireDirectory(dir, e);
            return;
        } catch (NoSuchFileException e) {
            Path parent = dir.getParent();
            if (parent == null) {
                throw e;
            }
            createMissing(parent);
            try {
                Files.createDirectory(dir);
            } catch (FileAlreadyExistsException again) {
                requireDirectory(dir, again);
                return;
            }
        }
        syncDirs.add(dir.getParent());
    }

    /** Another writer created the directory first: its entry is that writer's to flush. */
    private static void requireDirectory(Path dir, FileAlreadyExistsException e) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw e;
        }
    }

    static void writeFully(FileChannel out, byte[] buffer, int length) throws IOException {
        ByteBuffer bytes = ByteBuffer.wrap(buffer, 0, length);
        while (bytes.hasRemaining()) {
            out.write(bytes);
        }
    }
}
