package dev.cairn.artifacts;

import dev.cairn.core.CairnException;
import dev.cairn.core.ErrorCode;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.security.MessageDigest;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A batch of puts into an {@link S3BlobStore}. Large content is uploaded as its own object at once
 * (S3 acknowledges an object once it is durable and whole). Content below
 * {@link LocalBlobBatch#PACK_BELOW} the store lacks is appended to a local pack spool instead, which
 * {@link #commit} uploads as one object before its index: ten thousand small files cost a few
 * requests instead of ten thousand uploads, and an index never names a pack that is not there.
 */
final class S3BlobBatch implements BlobBatch {
    private final S3BlobStore store;
    private final Set<String> claimed = ConcurrentHashMap.newKeySet();
    private PackWriter pack;

    /** Set when a commit failed: the blobs it held are lost, so the batch takes nothing more. */
    private volatile boolean failed;

    S3BlobBatch(S3BlobStore store) {
        this.store = store;
    }

    @Override
    public Put put(InputStream content) throws IOException {
        requireUsable();
        byte[] head = new byte[LocalBlobBatch.PACK_BELOW];
        int first = content.readNBytes(head, 0, head.length);
        if (first == head.length) {
            Put put = store.store(new SequenceInputStream(new ByteArrayInputStream(head), content));
            return put.added() && claimed.add(put.ref().sha256()) ? put : new Put(put.ref(), false);
        }
        MessageDigest digest = Sha256.newDigest();
        digest.update(head, 0, first);
        BlobRef ref = new BlobRef(Sha256.hex(digest), first);
        if (!claimed.add(ref.sha256())
                || store.packs().find(ref.sha256()).isPresent()
                || store.hasLoose(ref.sha256())) {
            return new Put(ref, false);
        }
        try {
            currentPack().append(ref.sha256(), head, first);
        } catch (IOException | RuntimeException e) {
            claimed.remove(ref.sha256());
            throw AtomicFiles.failure("could not spool blob " + ref.sha256(), e);
        }
        return new Put(ref, true);
    }

    @Override
    public Put put(byte[] content) {
        try {
            return put(new ByteArrayInputStream(content));
        } catch (IOException e) {
            throw new UncheckedIOException("reading an array cannot fail", e);
        }
    }

    /** Uploads the pack, then its index; call it once the puts have returned. */
    @Override
    public void commit() {
        requireUsable();
        PackWriter sealed = takePack();
        if (sealed == null) {
            return;
        }
        try {
            sealed.close();
            if (!sealed.isEmpty()) {
                store.publishPack(sealed);
            }
        } catch (IOException | RuntimeException e) {
            // The blobs of the failed commit are still claimed by this batch; taking more puts would
            // report them as stored when nothing holds them.
            failed = true;
            throw AtomicFiles.failure("could not commit blobs to " + store, e);
        } finally {
            AtomicFiles.deleteQuietly(sealed.file());
        }
        claimed.clear();
    }

    @Override
    public void close() {
        PackWriter unsealed = takePack();
        if (unsealed != null) {
            unsealed.discard();
        }
    }

    private void requireUsable() {
        if (failed) {
            throw new CairnException(
                    ErrorCode.INVALID_STATE,
                    "this blob batch of " + store + " failed to commit and takes no more puts or commits;"
                            + " store its blobs again in a new batch");
        }
    }

    private synchronized PackWriter takePack() {
        PackWriter taken = pack;
        pack = null;
        return taken;
    }

    private synchronized PackWriter currentPack() throws IOException {
        if (pack == null) {
            Files.createDirectories(store.spoolDir());
            pack = PackWriter.spool(store.spoolDir(), PackIndex.newPackName());
        }
        return pack;
    }
}
