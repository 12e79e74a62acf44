package dev.cairn.artifacts;

import dev.cairn.core.Page;
import dev.cairn.store.Database;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Artifact trees over the blob store: each {@link ArtifactRoot} maps relative paths to blobs, and
 * the tree is a view recorded in the metadata database. Content is never reached through a
 * filesystem path built from client input, so no path or link can lead out of a root.
 */
public interface ArtifactRepository {
    /** Most entries one page of a listing holds. */
    int MAX_PAGE = 1000;

    static ArtifactRepository over(Database database, BlobStore blobs) {
        return new SqlArtifactRepository(database, blobs);
    }

    BlobStore blobs();

    /**
     * Streams {@code content} into the blob store, then records it at {@code path}, replacing a file
     * already there. Fails with {@code INVALID_PARAMETER_VALUE} when {@code path} is the root, a
     * directory, or lies below a file.
     */
    ArtifactFile put(ArtifactRoot root, ArtifactPath path, InputStream content);

    /** Records a blob already in the store at {@code path}, as {@link #put} does. */
    ArtifactFile link(ArtifactRoot root, ArtifactPath path, BlobRef blob);

    Optional<ArtifactFile> file(ArtifactRoot root, ArtifactPath path);

    boolean isDirectory(ArtifactRoot root, ArtifactPath path);

    /** Opens a file's content, verified against its digest; {@code RESOURCE_DOES_NOT_EXIST} when absent. */
    InputStream open(ArtifactRoot root, ArtifactPath path);

    /**
     * The direct children of directory {@code dir}, directories and files, sorted by path, with paths
     * relative to the root; empty when {@code dir} does not exist or is a file (as MLflow lists).
     */
    List<FileInfo> list(ArtifactRoot root, ArtifactPath dir);

    /** One page of {@link #list}. */
    Page<FileInfo> list(ArtifactRoot root, ArtifactPath dir, int maxResults, Optional<String> pageToken);

    /** Every file at or below {@code path}, sorted by path. */
    List<ArtifactFile> walk(ArtifactRoot root, ArtifactPath path);

    /**
     * Writes the file at {@code path}, or the directory there with everything below it, into the
     * local directory {@code target} (as {@code target/<relative path>}), each file verified and
     * written atomically. A link inside {@code target} that would lead a file out of it is refused.
     * Returns how many files were written; {@code RESOURCE_DOES_NOT_EXIST} when there are none.
     */
    int download(ArtifactRoot root, ArtifactPath path, Path target);

    /**
     * Deletes the file at {@code path}, or the directory there with everything below it; deleting
     * what does not exist is a no-op. Returns how many files were removed. Blobs stay in the store,
     * which other trees may share.
     */
    int delete(ArtifactRoot root, ArtifactPath path);
}
