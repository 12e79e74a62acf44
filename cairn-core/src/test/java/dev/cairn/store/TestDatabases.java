package dev.cairn.store;

import io.zonky.test.db.postgres.embedded.DefaultPostgresBinaryResolver;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import io.zonky.test.db.postgres.embedded.PgBinaryResolver;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Method;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.Properties;
import java.util.UUID;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.xz.XZCompressorOutputStream;
import org.jdbi.v3.core.HandleCallback;
import org.jdbi.v3.core.Jdbi;

/**
 * Fresh, migrated databases for tests: a SQLite file in a new temporary folder, or a new database
 * on PostgreSQL (the server named by {@code CAIRN_TEST_POSTGRES_URL}, else an embedded one started
 * once per JVM). Run one test class on both with {@code @ParameterizedTest
 * @EnumSource(TestDatabases.Kind.class)} and {@code kind.open()}, or with an abstract test class
 * and one subclass per kind.
 */
public final class TestDatabases {
    /** The environment variable naming a PostgreSQL server for tests, as a Cairn store URL. */
    public static final String POSTGRES_URL_ENV = "CAIRN_TEST_POSTGRES_URL";

    private TestDatabases() {}

    /** The two backends every store test runs on. */
    public enum Kind {
        SQLITE,
        POSTGRESQL;

        /** A fresh, migrated database of this kind; close it at the end of the test. */
        public Database open() {
            return this == SQLITE ? sqlite() : postgresql();
        }
    }

    /** A fresh SQLite database in a new temporary folder. */
    public static Database sqlite() {
        try {
            return sqlite(Files.createTempDirectory("cairn-test-"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A fresh SQLite database {@code cairn.db} in {@code folder} (a JUnit {@code @TempDir}, say). */
    public static Database sqlite(Path folder) {
        return Database.open(StoreUrl.sqlite(folder.resolve("cairn.db")));
    }

    /** A fresh database on the test PostgreSQL server, dropped when closed. */
    public static Database postgresql() {
        return PostgresServer.INSTANCE.freshDatabase();
    }

    /** A new, empty database on the test PostgreSQL server (nothing migrated), dropped when closed. */
    static EmptyDatabase emptyPostgresql() {
        return PostgresServer.INSTANCE.emptyDatabase();
    }

    /** An empty database: its URL, and what drops it. */
    record EmptyDatabase(StoreUrl url, Runnable drop) implements AutoCloseable {
        @Override
        public void close() {
            drop.run();
        }
    }

    /** The test PostgreSQL server: reached once, then asked for one new database per call. */
    private static final class PostgresServer {
        static final PostgresServer INSTANCE = start();

        private final StoreUrl admin;

        private PostgresServer(StoreUrl admin) {
            this.admin = admin;
        }

        private static PostgresServer start() {
            String configured = System.getenv(POSTGRES_URL_ENV);
            if (configured != null && !configured.isBlank()) {
                return new PostgresServer(StoreUrl.parse(configured));
            }
            try {
                EmbeddedPostgres postgres = EmbeddedPostgres.builder()
                        .setPgBinaryResolver(
                                runningAsRoot() ? RootSafeBinaries.resolver() : DefaultPostgresBinaryResolver.INSTANCE)
                        // Test data need not survive a crash; this makes CREATE DATABASE cheap.
                        .setServerConfig("fsync", "off")
                        .setServerConfig("full_page_writes", "off")
                        .setServerConfig("synchronous_commit", "off")
                        .start();
                String url = "jdbc:postgresql://localhost:" + postgres.getPort() + "/postgres?user=postgres";
                return new PostgresServer(StoreUrl.parse(url));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot start embedded PostgreSQL", e);
            }
        }

        Database freshDatabase() {
            EmptyDatabase empty = emptyDatabase();
            Database database = Database.open(empty.url());
            return new DroppedOnClose(database, empty.drop());
        }

        EmptyDatabase emptyDatabase() {
            String name = "cairn_test_"
                    + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
            execute("CREATE DATABASE " + name);
            return new EmptyDatabase(
                    withDatabase(name), () -> execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)"));
        }

        private StoreUrl withDatabase(String name) {
            URI uri = URI.create(admin.jdbcUrl().substring("jdbc:".length()));
            String query = uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery();
            String jdbc = "jdbc:postgresql://" + uri.getRawAuthority() + "/" + name + query;
            return new StoreUrl(Dialect.POSTGRESQL, jdbc, admin.user(), admin.password());
        }

        private void execute(String sql) {
            Properties properties = new Properties();
            admin.user().ifPresent(user -> properties.setProperty("user", user));
            admin.password().ifPresent(password -> properties.setProperty("password", password));
            try (Connection connection = DriverManager.getConnection(admin.jdbcUrl(), properties);
                    Statement statement = connection.createStatement()) {
                statement.execute(sql);
            } catch (SQLException e) {
                throw new IllegalStateException("test PostgreSQL refused: " + sql, e);
            }
        }
    }

    private static boolean runningAsRoot() {
        try {
            return Integer.valueOf(0).equals(Files.getAttribute(Path.of("/proc/self"), "unix:uid"));
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return false;
        }
    }

    /**
     * PostgreSQL refuses to run as root. As root, the embedded server's programs are started
     * through {@code unshare} in a user namespace where the same (root-owned) files belong to an
     * ordinary user id.
     */
    private static final class RootSafeBinaries {
        static PgBinaryResolver resolver() {
            File real = extractedBinaries();
            byte[] archive = wrapperArchive(real.toPath().resolve("bin"));
            return (system, architecture) -> new ByteArrayInputStream(archive);
        }

        private static File extractedBinaries() {
            try {
                Method prepare =
                        EmbeddedPostgres.class.getDeclaredMethod("prepareBinaries", PgBinaryResolver.class, File.class);
                prepare.setAccessible(true);
                return (File) prepare.invoke(null, DefaultPostgresBinaryResolver.INSTANCE, null);
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("cannot unpack the embedded PostgreSQL binaries", e);
            }
        }

        private static byte[] wrapperArchive(Path realBin) {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (TarArchiveOutputStream tar = new TarArchiveOutputStream(new XZCompressorOutputStream(bytes))) {
                for (String program : new String[] {"initdb", "pg_ctl", "postgres"}) {
                    byte[] script = wrapper(realBin.resolve(program)).getBytes(StandardCharsets.UTF_8);
                    TarArchiveEntry entry = new TarArchiveEntry("bin/" + program);
                    entry.setMode(0755);
                    entry.setSize(script.length);
                    tar.putArchiveEntry(entry);
                    tar.write(script);
                    tar.closeArchiveEntry();
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return bytes.toByteArray();
        }

        private static String wrapper(Path program) {
            return String.format(
                    Locale.ROOT,
                    "#!/bin/sh\nif [ \"$(id -u)\" = 0 ]; then\n"
                            + "  exec unshare --user --map-user=65000 --map-group=65000 '%1$s' \"$@\"\nfi\n"
                            + "exec '%1$s' \"$@\"\n",
                    program);
        }
    }

    /** A database that drops itself from the shared test server when closed. */
    private static final class DroppedOnClose implements Database {
        private final Database delegate;
        private final Runnable drop;

        DroppedOnClose(Database delegate, Runnable drop) {
            this.delegate = delegate;
            this.drop = drop;
        }

        @Override
        public Jdbi jdbi() {
            return delegate.jdbi();
        }

        @Override
        public <T> T write(HandleCallback<T, RuntimeException> callback) {
            return delegate.write(callback);
        }

        @Override
        public Dialect dialect() {
            return delegate.dialect();
        }

        @Override
        public StoreUrl url() {
            return delegate.url();
        }

        @Override
        public void close() {
            delegate.close();
            drop.run();
        }
    }
}
