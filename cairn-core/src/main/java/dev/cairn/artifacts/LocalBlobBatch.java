package dev.cairn.artifacts;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A batch of puts into a {@link LocalBlobStore}. Content shorter than one buffer is hashed in memory
 * and written only when the store lacks it; longer content is hashed while it is copied into
 * {@code tmp/}. Nothing is forced to disk per blob: {@link #commit} flushes all copies, renames them
 * into place and flushes the renames, so a blob at its final path is always complete and durable.
 */
final class LocalBlobBatch implements BlobBatch {
    /** Most dataset files fit, so most puts read once and write only what is new. */
    private static final int BUFFER = 1 << 20;

    private static final ThreadLocal<byte[]> BUFFERS = ThreadLocal.withInitial(() -> new byte[BUFFER]);

    private final LocalBlobStore store;
    private final StagedFiles files = new StagedFiles();
    private final Set<String> staged = ConcurrentHashMap.newKeySet();

    LocalBlobBatch(LocalBlobStore store) {
        this.store = store;
    }

    @Override
    public Put put(InputStream content) throws IOException {
        byte[] buffer = BUFFERS.get();
        MessageDigest digest = Sha256.newDigest();
        int first = content.readNBytes(buffer, 0, buffer.length);
        digest.update(buffer, 0, first);
        if (first < buffer.length) {
            return settle(new BlobRef(Sha256.hex(digest), first), buffer, first);
        }
        Path temp = files.tempName(store.tmp(), "blob");
        long size = first;
        FileChannel out = open(temp);
        try (out) {
            write(out, buffer, first, temp);
            for (int n; (n = content.read(buffer)) >= 0; ) {
                digest.update(buffer, 0, n);
                write(out, buffer, n, temp);
                size += n;
            }
        } catch (IOException | RuntimeException e) {
            files.discard(temp);
            throw e;
        }
        return settle(temp, new BlobRef(Sha256.hex(digest), size));
    }

    @Override
    public Put put(byte[] content) {
        try {
            return put(new ByteArrayInputStream(content));
        } catch (IOException e) {
            throw new UncheckedIOException("reading an array cannot fail", e);
        }
    }

    @Override
    public void commit() {
        try {
            files.publish();
        } catch (IOException | RuntimeException e) {
            throw AtomicFiles.failure("could not commit blobs to " + store, e);
        }
        staged.clear();
    }

    @Override
    public void close() {
        files.close();
    }

    /** Content held in memory: written to a temporary file only when neither store nor batch has it. */
    private Put settle(BlobRef ref, byte[] buffer, int length) {
        if (known(ref)) {
            return new Put(ref, false);
        }
        Path temp = files.tempName(store.tmp(), "blob");
        try (FileChannel out = open(temp)) {
            write(out, buffer, length, temp);
        } catch (IOException | RuntimeException e) {
            files.discard(temp);
            staged.remove(ref.sha256());
            throw AtomicFiles.failure("could not store blob " + ref.sha256(), e);
        }
        return place(temp, ref);
    }

    /** Content already copied to {@code temp}: kept only when neither store nor batch has it. */
    private Put settle(Path temp, BlobRef ref) {
        if (known(ref)) {
            files.discard(temp);
            return new Put(ref, false);
        }
        return place(temp, ref);
    }

    /**
     * True when the store has the blob (its directory is flushed at commit too, in case another
     * writer renamed it there and has not flushed yet) or another put of this batch claimed it.
     */
    private boolean known(BlobRef ref) {
        Path target = store.blobPath(ref.sha256());
        if (store.hasBlobAt(target)) {
            files.syncAtPublish(target.getParent());
            return true;
        }
        return !staged.add(ref.sha256());
    }

    private Put place(Path temp, BlobRef ref) {
        Path target = store.blobPath(ref.sha256());
        try {
            files.ensureDirectory(target.getParent());
            store.requireNoLinks(target.getParent());
        } catch (IOException | RuntimeException e) {
            files.discard(temp);
            staged.remove(ref.sha256());
            throw AtomicFiles.failure("could not store blob " + ref.sha256(), e);
        }
        files.stage(temp, target);
        return new Put(ref, true);
    }

    private FileChannel open(Path temp) {
        try {
            return StagedFiles.create(temp);
        } catch (IOException e) {
            files.discard(temp);
            throw AtomicFiles.failure("could not open " + temp, e);
        }
    }

    private void write(FileChannel out, byte[] buffer, int length, Path temp) {
        try {
            StagedFiles.writeFully(out, buffer, length);
        } catch (IOException e) {
            throw AtomicFiles.failure("could not write " + temp, e);
        }
    }
}
