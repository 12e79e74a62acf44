package dev.cairn.store;

import java.io.IOException;
import java.io.InputStream;
import java.net.JarURLConnection;
import java.net.URL;
import java.net.URLConnection;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import org.sqlite.util.OSInfo;

/**
 * Keeps SQLite's native library in a per-user cache ({@code ~/.cache/cairn/sqlite/}) and points
 * the driver at it. Without it the driver copies the library out of its jar into the temporary
 * folder at every start and compares both copies byte by byte, a good part of opening a store.
 * The cached file is named after the checksum the jar records for the library and is checked
 * against it before use; a cache another user could write, a file system without POSIX permissions
 * or any other problem leaves the driver to its own extraction.
 */
final class SqliteNativeLibrary {
    private static final String PATH_PROPERTY = "org.sqlite.lib.path";
    private static final String NAME_PROPERTY = "org.sqlite.lib.name";
    private static final Set<PosixFilePermission> PRIVATE_FOLDER = PosixFilePermissions.fromString("rwx------");
    private static boolean prepared;

    private SqliteNativeLibrary() {}

    /** Points the driver at the cached library, caching it first; call before the driver loads. */
    static synchronized void prepare() {
        if (prepared) {
            return;
        }
        prepared = true;
        if (System.getProperty(PATH_PROPERTY) != null || System.getProperty(NAME_PROPERTY) != null) {
            return; // configured by the user
        }
        try {
            String name = System.mapLibraryName("sqlitejdbc");
            if (name.endsWith(".jnilib")) {
                name = name.replace(".jnilib", ".dylib");
            }
            URL resource = OSInfo.class.getResource(
                    "/org/sqlite/native/" + OSInfo.getNativeLibFolderPathForCurrentOS() + "/" + name);
            Path cacheRoot = cacheRoot();
            if (resource == null || cacheRoot == null) {
                return;
            }
            URLConnection connection = resource.openConnection();
            if (!(connection instanceof JarURLConnection jar)) {
                return;
            }
            ZipEntry entry = jar.getJarEntry();
            if (entry == null || entry.getCrc() < 0) {
                return;
            }
            Optional<Path> folder = cache(resource, entry.getCrc(), cacheRoot, name);
            if (folder.isEmpty()) {
                return;
            }
            System.setProperty(PATH_PROPERTY, folder.get().toString());
            System.setProperty(NAME_PROPERTY, name);
        } catch (IOException | RuntimeException | LinkageError e) {
            // the driver extracts the library itself, as it always did
        }
    }

    /**
     * The folder under {@code cacheRoot} holding a checked copy of the library, extracting it when
     * missing; empty when the copy cannot be trusted. The checksum only guards against damage, so the
     * folders and the file must also be the current user's and writable by no one else.
     */
    static Optional<Path> cache(URL resource, long crc, Path cacheRoot, String name) throws IOException {
        Path folder = cacheRoot.resolve(String.format(Locale.ROOT, "%08x", crc));
        Path library = folder.resolve(name);
        if (!Files.isDirectory(folder, LinkOption.NOFOLLOW_LINKS)) {
            Files.createDirectories(folder, PosixFilePermissions.asFileAttribute(PRIVATE_FOLDER));
        }
        if (!privateToUser(cacheRoot) || !privateToUser(folder)) {
            return Optional.empty();
        }
        if (Files.exists(library, LinkOption.NOFOLLOW_LINKS)) {
            if (!privateToUser(library)) {
                return Optional.empty(); // not ours to replace
            }
            if (matches(library, crc)) {
                return Optional.of(folder); // the usual start: the library is read once
            }
        }
        extract(resource, folder, library);
        return privateToUser(library) && matches(library, crc) ? Optional.of(folder) : Optional.empty();
    }

    /**
     * Whether {@code path} itself (not a link) belongs to the current user and no group or other user
     * may write it; false on a file system without POSIX permissions.
     */
    static boolean privateToUser(Path path) throws IOException {
        PosixFileAttributes attributes;
        try {
            attributes = Files.readAttributes(path, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (UnsupportedOperationException e) {
            return false;
        }
        if (attributes.isSymbolicLink() || !(attributes.isDirectory() || attributes.isRegularFile())) {
            return false;
        }
        UserPrincipal user = path.getFileSystem()
                .getUserPrincipalLookupService()
                .lookupPrincipalByName(System.getProperty("user.name"));
        Set<PosixFilePermission> permissions = attributes.permissions();
        return attributes.owner().equals(user)
                && !permissions.contains(PosixFilePermission.GROUP_WRITE)
                && !permissions.contains(PosixFilePermission.OTHERS_WRITE);
    }

    /** {@code $XDG_CACHE_HOME/cairn/sqlite}, else {@code ~/.cache/cairn/sqlite}; null when there is no home. */
    private static Path cacheRoot() {
        String xdg = System.getenv("XDG_CACHE_HOME");
        if (xdg != null && !xdg.isBlank() && Path.of(xdg).isAbsolute()) {
            return Path.of(xdg, "cairn", "sqlite");
        }
        String home = System.getProperty("user.home");
        if (home == null || home.isBlank() || "?".equals(home)) {
            return null;
        }
        return Path.of(home, ".cache", "cairn", "sqlite");
    }

    private static boolean matches(Path library, long crc) throws IOException {
        if (!Files.isRegularFile(library, LinkOption.NOFOLLOW_LINKS)) {
            return false;
        }
        CRC32 actual = new CRC32();
        actual.update(Files.readAllBytes(library));
        return actual.getValue() == crc;
    }

    /** Writes a private copy and moves it into place, so a reader never sees half a library. */
    private static void extract(URL resource, Path folder, Path library) throws IOException {
        Path partial = Files.createTempFile(folder, library.getFileName().toString(), ".partial");
        try {
            try (InputStream in = resource.openStream()) {
                Files.copy(in, partial, StandardCopyOption.REPLACE_EXISTING);
            }
            try {
                Files.move(partial, library, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(partial, library, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(partial);
        }
    }
}
