package dev.cairn.pipelines.execution;

/**
 * A step output as stored in the blob store: a file's blob, or for a directory the blob of its
 * manifest (which names the blobs of its files).
 *
 * @param kind {@code file} or {@code dir}
 */
record StoredOutput(String kind, String sha256) {
    boolean isDirectory() {
        return kind.equals("dir");
    }
}
