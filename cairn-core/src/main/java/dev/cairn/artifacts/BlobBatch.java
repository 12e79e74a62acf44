package dev.cairn.artifacts;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * Blobs stored as a group, from {@link BlobStore#batch()}: each content is hashed in the same pass
 * that copies it, and every blob of the group is durable and visible once {@link #commit} returns.
 * A blob is never visible before it is complete and durable, so a caller that records references
 * only after {@code commit} never references a blob a crash could lose. Puts may come from several
 * threads at once.
 */
public interface BlobBatch extends AutoCloseable {
    /**
     * Stores {@code content} read to its end; does not close it. Failures to read the stream are
     * thrown as they are, so the caller can name its source; failures to store are
     * {@link dev.cairn.core.CairnException}s.
     */
    Put put(InputStream content) throws IOException;

    /** Stores bytes held in memory. */
    default Put put(byte[] content) {
        try {
            return put(new ByteArrayInputStream(content));
        } catch (IOException e) {
            throw new UncheckedIOException("reading an array cannot fail", e);
        }
    }

    /**
     * Makes every blob put so far durable and visible; the batch may then take more puts. When it
     * throws, the blobs put since the last commit may be missing and the batch is failed: every later
     * {@code put} or {@code commit} throws a {@link dev.cairn.core.CairnException} (the batch cannot
     * tell which of its blobs survived), so store them again in a new batch.
     */
    void commit();

    /** Discards the temporary copies of blobs that were not committed; committed blobs stay. */
    @Override
    void close();

    /** A stored blob, and whether this batch added it (false when the store or the batch had it already). */
    record Put(BlobRef ref, boolean added) {}
}
