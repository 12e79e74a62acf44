package dev.cairn.datasets;

/** Hears about the progress of an add; called from worker threads, so implementations must be thread-safe. */
@FunctionalInterface
public interface AddListener {
    AddListener NONE = entry -> {};

    /** A file's content is in the blob store (stored now or found already there). */
    void fileStored(ManifestEntry entry);
}
