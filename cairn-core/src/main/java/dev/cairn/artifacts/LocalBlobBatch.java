package dev.cairn.artifacts;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A batch of puts into a {@link LocalBlobStore}. Content shorter than one buffer is hashed in memory
 * and written only when the store lacks it: below {@link #PACK_BELOW} it is appended to the batch's
 * pack, otherwise copied to {@code tmp/}; longer content is hashed while it is copied into
 * {@code tmp/}. Nothing is forced to disk per blob: {@link #commit} flushes the pack first, then all
 * copies and the pack's index, renames them into place and flushes the renames, so a blob that can
 * be found is always complete and durable.
 */
final class LocalBlobBatch implements BlobBatch {
    /** Most dataset files fit, so most puts read once and write only what is new. */
    private static final int BUFFER = 1 << 20;

    /**
     * Blobs smaller than this go into the pack: for them a file of their own costs more (a create, a
     * rename, directory entries to flush) than their bytes.
     */
    static final int PACK_BELOW = 64 << 10;

    private static final ThreadLocal<byte[]> BUFFERS = ThreadLocal.withInitial(() -> new byte[BUFFER]);

    private final LocalBlobStore store;
    private final StagedFiles files = new StagedFiles();
    private final Set<String> staged = ConcurrentHashMap.newKeySet();
    private final PendingPack pending;

    LocalBlobBatch(LocalBlobStore store) {
        this.store = store;
        this.pending = new PendingPack(store, () -> PackWriter.create(store.packsDir(), PackIndex.newPackName()));
    }

    @Override
    public Put put(InputStream content) throws IOException {
        pending.requireUsable();
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

    /** Makes every blob put so far durable and visible; call it once the puts have returned. */
    @Override
    public void commit() {
        pending.requireUsable();
        PackWriter sealed = pending.take();
        Optional<PackIndex> index = Optional.empty();
        try {
            if (sealed != null) {
                index = seal(sealed);
            }
            files.publish();
        } catch (IOException | RuntimeException e) {
            pending.fail();
            if (sealed != null && !indexPublished(sealed)) {
                sealed.discard();
            }
            throw AtomicFiles.failure("could not commit blobs to " + store, e);
        }
        index.ifPresent(store.packs()::add);
        staged.clear();
    }

    @Override
    public void close() {
        pending.discard();
        files.close();
    }

    /**
     * Makes sure the pack's directory entry is durable, then has {@link StagedFiles#publish} flush
     * the pack together with the other files before it renames anything, the pack's index included:
     * an index never names bytes a crash could lose.
     */
    private Optional<PackIndex> seal(PackWriter sealed) throws IOException {
        if (sealed.isEmpty()) {
            sealed.discard();
            return Optional.empty();
        }
        try (sealed) {
            sealed.settle();
        }
        files.forceAtPublish(sealed.file());
        PackIndex index = PackIndex.of(sealed.name(), sealed.entries());
        Path temp = files.tempName(store.tmp(), "idx");
        try (FileChannel out = StagedFiles.create(temp)) {
            byte[] bytes = index.encode();
            StagedFiles.writeFully(out, bytes, bytes.length);
        }
        // A batch open for longer than the sweep of unindexed packs may have lost its pack; the
        // flush at publish need not reopen it (syncfs), so look before an index names it.
        sealed.requireInPlace();
        files.stage(temp, indexPath(sealed));
        return Optional.of(index);
    }

    private Path indexPath(PackWriter writer) {
        return store.packsDir().resolve(writer.name() + PackIndex.INDEX_SUFFIX);
    }

    /** True when a failed publish renamed the index into place anyway: then its pack must stay. */
    private boolean indexPublished(PackWriter writer) {
        return Files.exists(indexPath(writer), LinkOption.NOFOLLOW_LINKS);
    }

    /** Content held in memory: written to a temporary file only when neither store nor batch has it. */
    private Put settle(BlobRef ref, byte[] buffer, int length) {
        if (known(ref)) {
            return new Put(ref, false);
        }
        if (length < PACK_BELOW) {
            return pack(ref, buffer, length);
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

    private Put pack(BlobRef ref, byte[] buffer, int length) {
        try {
            pending.current().append(ref.sha256(), buffer, length);
        } catch (IOException | RuntimeException e) {
            staged.remove(ref.sha256());
            throw AtomicFiles.failure("could not store blob " + ref.sha256(), e);
        }
        return new Put(ref, true);
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
     * True when the store has the blob, loose or packed (its directory is flushed at commit too, in
     * case another writer renamed it there and has not flushed yet) or another put of this batch
     * claimed it.
     */
    private boolean known(BlobRef ref) {
        if (store.packs().find(ref.sha256()).isPresent()) {
            files.syncAtPublish(store.packsDir());
            return true;
        }
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
