package dev.cairn.artifacts;

import java.io.InputStream;
import java.nio.file.Path;

/**
 * Content-addressed storage of immutable blobs keyed by SHA-256. Storing content that is already
 * present stores nothing new; a blob becomes visible only once it is complete, so an interrupted
 * write never leaves a partial blob behind. Implementations: a local directory (default) and an
 * S3-compatible bucket.
 */
public interface BlobStore {
    /**
     * A store in a local directory, created when absent; its layout is {@code sha256/ab/cdef...}, and
     * {@code packs/} for the small blobs of batches.
     */
    static BlobStore local(Path root) {
        return new LocalBlobStore(root);
    }

    /**
     * The store a location names: a directory, {@code file:///dir}, or {@code s3://bucket/prefix}
     * (S3 endpoint, region and credentials from the usual environment variables).
     */
    static BlobStore at(String location) {
        return BlobStoreLocation.open(location, System.getenv());
    }

    /**
     * A store in an S3-compatible bucket; its layout is {@code <prefix>sha256/ab/cdef...}, and
     * {@code <prefix>packs/} for the small blobs of batches.
     */
    static BlobStore s3(S3Settings settings) {
        return new S3BlobStore(settings);
    }

    /** Streams {@code content} into the store and returns its digest; does not close the stream. */
    BlobRef put(InputStream content);

    /** Stores a file's content. */
    BlobRef put(Path file);

    boolean contains(String sha256);

    /** The blob's size; {@code RESOURCE_DOES_NOT_EXIST} when absent. */
    long size(String sha256);

    /**
     * Opens a blob for reading. The stream verifies the digest as it is read and fails at its end
     * when the stored bytes do not match (a corrupted store is reported, never silently served).
     */
    InputStream open(String sha256);

    /** Writes a blob to {@code target} atomically, verifying its digest before the file appears. */
    void copyTo(String sha256, Path target);

    /**
     * Starts a group of puts whose durability is paid once, at {@link BlobBatch#commit}: the way to
     * store many blobs (a directory of small files) without a disk flush per blob. Small blobs of a
     * batch share one pack file (one object on S3) instead of a file each; readers cannot tell.
     */
    BlobBatch batch();
}
