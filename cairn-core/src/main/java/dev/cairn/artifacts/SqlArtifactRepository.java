package dev.cairn.artifacts;

import dev.cairn.core.CairnException;
import dev.cairn.core.Page;
import dev.cairn.store.Database;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

/** {@link ArtifactRepository} on the {@code artifact_files} and {@code artifact_dirs} tables (V2). */
final class SqlArtifactRepository implements ArtifactRepository {
    private static final String FILE_COLUMNS = "path, sha256, size, created_at";

    private final Database database;
    private final BlobStore blobs;

    SqlArtifactRepository(Database database, BlobStore blobs) {
        this.database = database;
        this.blobs = blobs;
    }

    @Override
    public BlobStore blobs() {
        return blobs;
    }

    @Override
    public ArtifactFile put(ArtifactRoot root, ArtifactPath path, InputStream content) {
        requireFilePath(path);
        // The blob is written (outside the transaction) before the tree points at it, so a failed
        // upload leaves at most an unreferenced blob, never an entry without content.
        return link(root, path, blobs.put(content));
    }

    @Override
    public ArtifactFile link(ArtifactRoot root, ArtifactPath path, BlobRef blob) {
        requireFilePath(path);
        long now = System.currentTimeMillis();
        return database.write(h -> {
            requirePlaceForFile(h, root, path);
            h.createUpdate("INSERT INTO artifact_files (root, path, parent, name, sha256, size, created_at)"
                            + " VALUES (?, ?, ?, ?, ?, ?, ?)"
                            + " ON CONFLICT (root, path) DO UPDATE SET sha256 = excluded.sha256,"
                            + " size = excluded.size, created_at = excluded.created_at")
                    .bind(0, root.value())
                    .bind(1, path.value())
                    .bind(2, parentOf(path))
                    .bind(3, path.name())
                    .bind(4, blob.sha256())
                    .bind(5, blob.size())
                    .bind(6, now)
                    .execute();
            for (ArtifactPath dir = path.parent().orElseThrow();
                    !dir.isRoot();
                    dir = dir.parent().orElseThrow()) {
                h.createUpdate("INSERT INTO artifact_dirs (root, path, parent, name) VALUES (?, ?, ?, ?)"
                                + " ON CONFLICT (root, path) DO NOTHING")
                        .bind(0, root.value())
                        .bind(1, dir.value())
                        .bind(2, parentOf(dir))
                        .bind(3, dir.name())
                        .execute();
            }
            return new ArtifactFile(root, path, blob, now);
        });
    }

    @Override
    public Optional<ArtifactFile> file(ArtifactRoot root, ArtifactPath path) {
        if (path.isRoot()) {
            return Optional.empty();
        }
        return database.jdbi().withHandle(h -> findFile(h, root, path));
    }

    @Override
    public boolean isDirectory(ArtifactRoot root, ArtifactPath path) {
        return path.isRoot() || database.jdbi().withHandle(h -> dirExists(h, root, path));
    }

    @Override
    public InputStream open(ArtifactRoot root, ArtifactPath path) {
        ArtifactFile file = file(root, path)
                .orElseThrow(() -> CairnException.notFound(
                        "No artifact at path '" + path.value() + "' of '" + root.value() + "'"));
        return blobs.open(file.blob().sha256());
    }

    @Override
    public List<FileInfo> list(ArtifactRoot root, ArtifactPath dir) {
        return database.jdbi().withHandle(h -> {
            List<FileInfo> children = new ArrayList<>();
            String prefix = dir.isRoot() ? "" : dir.value() + "/";
            h.createQuery("SELECT name FROM artifact_dirs WHERE root = ? AND parent = ?")
                    .bind(0, root.value())
                    .bind(1, dir.value())
                    .mapTo(String.class)
                    .forEach(name -> children.add(FileInfo.directory(prefix + name)));
            h.createQuery("SELECT name, size FROM artifact_files WHERE root = ? AND parent = ?")
                    .bind(0, root.value())
                    .bind(1, dir.value())
                    .map((rs, ctx) -> FileInfo.file(prefix + rs.getString(1), rs.getLong(2)))
                    .forEach(children::add);
            // Sorted here, not in SQL, so the order is the same on every database collation.
            children.sort(Comparator.comparing(FileInfo::path));
            return children;
        });
    }

    @Override
    public Page<FileInfo> list(ArtifactRoot root, ArtifactPath dir, int maxResults, Optional<String> pageToken) {
        CairnException.requireArgument(
                maxResults > 0 && maxResults <= MAX_PAGE,
                "Invalid value " + maxResults + " for parameter 'max_results': must be in 1.." + MAX_PAGE);
        List<FileInfo> all = list(root, dir);
        int offset = pageToken.map(SqlArtifactRepository::decodeToken).orElse(0);
        int end = Math.min(all.size(), offset + maxResults);
        List<FileInfo> items = offset >= all.size() ? List.of() : all.subList(offset, end);
        return new Page<>(items, end < all.size() ? Optional.of(encodeToken(end)) : Optional.empty());
    }

    @Override
    public List<ArtifactFile> walk(ArtifactRoot root, ArtifactPath path) {
        return database.jdbi().withHandle(h -> {
            var query = path.isRoot()
                    ? h.createQuery("SELECT " + FILE_COLUMNS + " FROM artifact_files WHERE root = ?")
                            .bind(0, root.value())
                    : h.createQuery("SELECT " + FILE_COLUMNS + " FROM artifact_files WHERE root = ?"
                                    + " AND (path = ? OR substr(path, 1, ?) = ?)")
                            .bind(0, root.value())
                            .bind(1, path.value())
                            .bind(2, path.value().length() + 1)
                            .bind(3, path.value() + "/");
            List<ArtifactFile> files = new ArrayList<>(query.map((rs, ctx) -> new ArtifactFile(
                            root,
                            ArtifactPath.of(rs.getString(1)),
                            new BlobRef(rs.getString(2), rs.getLong(3)),
                            rs.getLong(4)))
                    .list());
            files.sort(Comparator.comparing(f -> f.path().value()));
            return files;
        });
    }

    @Override
    public int download(ArtifactRoot root, ArtifactPath path, Path target) {
        List<ArtifactFile> files = walk(root, path);
        if (files.isEmpty()) {
            throw CairnException.notFound("No artifact at path '" + path.value() + "' of '" + root.value() + "'");
        }
        Path base = realDirectory(target);
        // A single file lands under its own name; a directory keeps its layout below target.
        ArtifactPath strip = files.size() == 1 && files.get(0).path().equals(path)
                ? path.parent().orElseThrow()
                : path;
        for (ArtifactFile file : files) {
            Path destination = base.resolve(file.path().relativeTo(strip).value());
            requireInside(base, destination);
            blobs.copyTo(file.blob().sha256(), destination);
        }
        return files.size();
    }

    private static Path realDirectory(Path dir) {
        try {
            Files.createDirectories(dir);
            return dir.toRealPath();
        } catch (IOException e) {
            throw AtomicFiles.failure("could not create " + dir, e);
        }
    }

    /** Creates the parents of {@code destination} and refuses when a link leads them out of {@code base}. */
    private static void requireInside(Path base, Path destination) {
        try {
            Path parent = destination.getParent();
            Files.createDirectories(parent);
            if (!parent.toRealPath().startsWith(base)) {
                throw CairnException.invalid("Refusing to write " + destination + ": a link leads it out of " + base);
            }
        } catch (IOException e) {
            throw AtomicFiles.failure("could not create the parent of " + destination, e);
        }
    }

    @Override
    public int delete(ArtifactRoot root, ArtifactPath path) {
        return database.write(h -> {
            int removed;
            if (path.isRoot()) {
                removed = h.execute("DELETE FROM artifact_files WHERE root = ?", root.value());
                h.execute("DELETE FROM artifact_dirs WHERE root = ?", root.value());
                return removed;
            }
            String below = path.value() + "/";
            removed = h.execute(
                    "DELETE FROM artifact_files WHERE root = ? AND (path = ? OR substr(path, 1, ?) = ?)",
                    root.value(),
                    path.value(),
                    below.length(),
                    below);
            h.execute(
                    "DELETE FROM artifact_dirs WHERE root = ? AND (path = ? OR substr(path, 1, ?) = ?)",
                    root.value(),
                    path.value(),
                    below.length(),
                    below);
            pruneEmptyAncestors(h, root, path);
            return removed;
        });
    }

    /** Removes directories left without children, from {@code path}'s parent upwards. */
    private static void pruneEmptyAncestors(Handle h, ArtifactRoot root, ArtifactPath path) {
        for (ArtifactPath dir = path.parent().orElseThrow();
                !dir.isRoot();
                dir = dir.parent().orElseThrow()) {
            boolean hasChildren = h.createQuery(
                            "SELECT EXISTS (SELECT 1 FROM artifact_files WHERE root = ? AND parent = ?)"
                                    + " OR EXISTS (SELECT 1 FROM artifact_dirs WHERE root = ? AND parent = ?)")
                    .bind(0, root.value())
                    .bind(1, dir.value())
                    .bind(2, root.value())
                    .bind(3, dir.value())
                    .mapTo(Boolean.class)
                    .one();
            if (hasChildren) {
                return;
            }
            h.execute("DELETE FROM artifact_dirs WHERE root = ? AND path = ?", root.value(), dir.value());
        }
    }

    private static void requirePlaceForFile(Handle h, ArtifactRoot root, ArtifactPath path) {
        if (dirExists(h, root, path)) {
            throw CairnException.invalid("Invalid artifact path '" + path.value() + "': it is a directory");
        }
        for (ArtifactPath dir = path.parent().orElseThrow();
                !dir.isRoot();
                dir = dir.parent().orElseThrow()) {
            if (findFile(h, root, dir).isPresent()) {
                throw CairnException.invalid(
                        "Invalid artifact path '" + path.value() + "': '" + dir.value() + "' is a file");
            }
        }
    }

    private static Optional<ArtifactFile> findFile(Handle h, ArtifactRoot root, ArtifactPath path) {
        return h.createQuery("SELECT " + FILE_COLUMNS + " FROM artifact_files WHERE root = ? AND path = ?")
                .bind(0, root.value())
                .bind(1, path.value())
                .map((rs, ctx) ->
                        new ArtifactFile(root, path, new BlobRef(rs.getString(2), rs.getLong(3)), rs.getLong(4)))
                .findOne();
    }

    private static boolean dirExists(Handle h, ArtifactRoot root, ArtifactPath path) {
        return h.createQuery("SELECT 1 FROM artifact_dirs WHERE root = ? AND path = ?")
                .bind(0, root.value())
                .bind(1, path.value())
                .mapTo(Integer.class)
                .findOne()
                .isPresent();
    }

    private static void requireFilePath(ArtifactPath path) {
        CairnException.requireArgument(!path.isRoot(), "Invalid artifact path '': a file needs a name");
    }

    private static String parentOf(ArtifactPath path) {
        return path.parent().map(ArtifactPath::value).orElse("");
    }

    private static String encodeToken(int offset) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(("o" + offset).getBytes(StandardCharsets.UTF_8));
    }

    private static int decodeToken(String token) {
        try {
            String text = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
            CairnException.requireArgument(text.startsWith("o"), "Invalid page_token '" + token + "'");
            int offset = Integer.parseInt(text.substring(1));
            CairnException.requireArgument(offset >= 0, "Invalid page_token '" + token + "'");
            return offset;
        } catch (IllegalArgumentException e) {
            throw CairnException.invalid("Invalid page_token '" + token + "'");
        }
    }
}
