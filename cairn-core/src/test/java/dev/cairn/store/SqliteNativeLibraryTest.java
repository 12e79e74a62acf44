package dev.cairn.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.net.JarURLConnection;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sqlite.util.OSInfo;

class SqliteNativeLibraryTest {
    private static final String NAME = System.mapLibraryName("sqlitejdbc").replace(".jnilib", ".dylib");

    @TempDir
    Path temp;

    @Test
    void theDriverLoadsTheCachedCopyOfItsOwnLibrary() throws Exception {
        try (Database db = TestDatabases.sqlite()) {
            String version = db.jdbi().withHandle(h -> h.createQuery("SELECT sqlite_version()")
                    .mapTo(String.class)
                    .one());
            assertThat(version).isNotBlank();
        }
        String folder = System.getProperty("org.sqlite.lib.path");
        String name = System.getProperty("org.sqlite.lib.name");
        if (folder == null) {
            return; // no per-user cache here (no home): the driver extracted the library itself
        }
        byte[] original;
        try (InputStream in = OSInfo.class.getResourceAsStream(
                "/org/sqlite/native/" + OSInfo.getNativeLibFolderPathForCurrentOS() + "/" + name)) {
            assertThat(in).isNotNull();
            original = in.readAllBytes();
        }
        assertThat(Files.readAllBytes(Path.of(folder, name))).isEqualTo(original);
    }

    @Test
    void aFreshCacheIsCreatedPrivateAndUsed() throws Exception {
        URL resource = resource();
        long crc = crc(resource);
        Path root = temp.resolve("cache/cairn/sqlite");
        Path folder = SqliteNativeLibrary.cache(resource, crc, root, NAME).orElseThrow();
        assertThat(folder).isEqualTo(root.resolve(String.format(Locale.ROOT, "%08x", crc)));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(root)))
                .isEqualTo("rwx------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(folder)))
                .isEqualTo("rwx------");
        try (InputStream in = resource.openStream()) {
            assertThat(Files.readAllBytes(folder.resolve(NAME))).isEqualTo(in.readAllBytes());
        }
        // and found again on the next start
        assertThat(SqliteNativeLibrary.cache(resource, crc, root, NAME)).contains(folder);
    }

    @Test
    void aCacheOthersCanWriteOrOwnIsNotUsed() throws Exception {
        URL resource = resource();
        long crc = crc(resource);
        Path open = temp.resolve("open/cairn/sqlite");
        Files.createDirectories(open);
        Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rwxrwxrwx"));
        assertThat(SqliteNativeLibrary.cache(resource, crc, open, NAME)).isEmpty();

        Path planted = temp.resolve("planted/cairn/sqlite");
        Path folder = SqliteNativeLibrary.cache(resource, crc, planted, NAME).orElseThrow();
        Files.setPosixFilePermissions(folder.resolve(NAME), PosixFilePermissions.fromString("rw-rw-rw-"));
        assertThat(SqliteNativeLibrary.cache(resource, crc, planted, NAME)).isEmpty();

        Path foreign = temp.resolve("foreign/cairn/sqlite");
        Files.createDirectories(
                foreign, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        assertThat(SqliteNativeLibrary.privateToUser(foreign)).isTrue();
        try {
            Files.setOwner(
                    foreign,
                    foreign.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("nobody"));
        } catch (java.io.IOException e) {
            return; // not allowed to give a folder away here
        }
        assertThat(SqliteNativeLibrary.privateToUser(foreign)).isFalse();
        assertThat(SqliteNativeLibrary.cache(resource, crc, foreign, NAME)).isEmpty();
    }

    private static URL resource() {
        URL resource = OSInfo.class.getResource(
                "/org/sqlite/native/" + OSInfo.getNativeLibFolderPathForCurrentOS() + "/" + NAME);
        assertThat(resource).isNotNull();
        return resource;
    }

    private static long crc(URL resource) throws Exception {
        return ((JarURLConnection) resource.openConnection()).getJarEntry().getCrc();
    }
}
