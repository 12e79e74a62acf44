package dev.cairn.artifacts;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
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
    private final PendingPack pending;

    S3BlobBatch(S3BlobStore store) {
        this.store = store;
        this.pending = new PendingPack(store, () -> {
            Files.createDirectories(store.spoolDir());
            return PackWriter.spool(store.spoolDir(), PackIndex.newPackName());
        });
    }

    @Override
    public Put put(InputStream content) throws IOException {
        pending.requireUsable();
        byte[] head = new byte[LocalBlobBatch.PACK_BELOW];
        int first = content.readNBytes(head, 0, head.length);
        if (first == head.length) {
            Put put = store.store(new SequenceInputStream(new ByteArrayInputStream(head), content));
            return put.added() && claimed.add(put.ref().sha256()) ? put : new Put(put.ref(), false);
        }
        MessageDigest digest = Sha256.newDigest();
        digest.update(head, 0, first);
        BlobRef ref = new BlobRef(Sha256.hex(digest), first);
        // Claimed last: a lookup that throws must not leave the blob claimed by a batch that lacks it.
        if (store.packs().find(ref.sha256()).isPresent()
                || store.hasLoose(ref.sha256())
                || !claimed.add(ref.sha256())) {
            return new Put(ref, false);
        }
        try {
            pending.current().append(ref.sha256(), head, first);
        } catch (IOException | RuntimeException e) {
            claimed.remove(ref.sha256());
            throw AtomicFiles.failure("could not spool blob " + ref.sha256(), e);
        }
        return new Put(ref, true);
    }

    /** Uploads the pack, then its index; call it once the puts have returned. */
    @Override
    public void commit() {
        pending.requireUsable();
        PackWriter sealed = pending.take();
        if (sealed == null) {
            return;
        }
        try {
            sealed.close();
            if (!sealed.isEmpty()) {
                store.publishPack(sealed);
            }
        } catch (IOException | RuntimeException e) {
            pending.fail();
            throw AtomicFiles.failure("could not commit blobs to " + store, e);
        } finally {
            AtomicFiles.deleteQuietly(sealed.file());
        }
        claimed.clear();
    }

    @Override
    public void close() {
        pending.discard();
    }
}
