package dev.cairn.store;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.StringReader;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.zip.CRC32;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates the whole schema of an empty store in one transaction: every migration script of the
 * dialect, in version order, followed by the history rows Flyway would have written for them (same
 * versions, descriptions, script names and checksums). Flyway applies the same scripts one by one,
 * but starting it costs far more than running them, and a new store is what a first start meets.
 * Later Flyway runs validate and upgrade such a store like one Flyway made. When the store is not
 * empty, or a script needs Flyway (placeholders, statements that cannot run in a transaction),
 * nothing is done and Flyway runs as before.
 */
final class SchemaBaseline {
    private static final Logger LOG = LoggerFactory.getLogger(SchemaBaseline.class);
    private static final String HISTORY = "flyway_schema_history";
    /** Serializes concurrent baselines of one PostgreSQL database (any constant would do). */
    private static final long POSTGRES_LOCK_KEY = 0x636169726e4dL;

    private static final String SQLITE_HISTORY_DDL = "CREATE TABLE \"" + HISTORY + "\" (\n"
            + "    \"installed_rank\" INT NOT NULL PRIMARY KEY,\n"
            + "    \"version\" VARCHAR(50),\n"
            + "    \"description\" VARCHAR(200) NOT NULL,\n"
            + "    \"type\" VARCHAR(20) NOT NULL,\n"
            + "    \"script\" VARCHAR(1000) NOT NULL,\n"
            + "    \"checksum\" INT,\n"
            + "    \"installed_by\" VARCHAR(100) NOT NULL,\n"
            + "    \"installed_on\" TEXT NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%f','now')),\n"
            + "    \"execution_time\" INT NOT NULL,\n"
            + "    \"success\" BOOLEAN NOT NULL\n"
            + ");\n"
            + "CREATE INDEX \"" + HISTORY + "_s_idx\" ON \"" + HISTORY + "\" (\"success\");";

    private static final String POSTGRES_HISTORY_DDL = "CREATE TABLE \"" + HISTORY + "\" (\n"
            + "    \"installed_rank\" INT NOT NULL,\n"
            + "    \"version\" VARCHAR(50),\n"
            + "    \"description\" VARCHAR(200) NOT NULL,\n"
            + "    \"type\" VARCHAR(20) NOT NULL,\n"
            + "    \"script\" VARCHAR(1000) NOT NULL,\n"
            + "    \"checksum\" INTEGER,\n"
            + "    \"installed_by\" VARCHAR(100) NOT NULL,\n"
            + "    \"installed_on\" TIMESTAMP NOT NULL DEFAULT now(),\n"
            + "    \"execution_time\" INTEGER NOT NULL,\n"
            + "    \"success\" BOOLEAN NOT NULL\n"
            + ");\n"
            + "ALTER TABLE \"" + HISTORY + "\" ADD CONSTRAINT \"" + HISTORY
            + "_pk\" PRIMARY KEY (\"installed_rank\");\n"
            + "CREATE INDEX \"" + HISTORY + "_s_idx\" ON \"" + HISTORY + "\" (\"success\");";

    /** One migration script: its Flyway version ({@code 6.1}), description, file name, text and checksum. */
    record Script(String version, String description, String fileName, String sql, int checksum) {}

    private SchemaBaseline() {}

    /**
     * Applies every migration to the store behind {@code source} when it is empty, and tells
     * whether it did. Any failure is logged and answers {@code false}: Flyway then runs the same
     * scripts and reports a broken one in its own words.
     */
    static boolean applyToEmpty(DataSource source, Dialect dialect) {
        try {
            return applyIfEmpty(source, dialect);
        } catch (SQLException | RuntimeException e) {
            LOG.warn("could not create the schema in one step, Flyway will migrate: {}", e.toString());
            return false;
        }
    }

    /**
     * Applies every migration to the store behind {@code source} when it is empty, and tells
     * whether it did; {@code false} means Flyway must run (the store is not empty, or a script
     * needs Flyway). A failure while applying rolls everything back and is thrown.
     */
    static boolean applyIfEmpty(DataSource source, Dialect dialect) throws SQLException {
        List<Script> scripts = scripts(dialect);
        if (scripts.isEmpty() || !scripts.stream().allMatch(SchemaBaseline::plain)) {
            return false;
        }
        try (Connection c = source.getConnection()) {
            boolean autoCommit = c.getAutoCommit();
            c.setAutoCommit(false);
            try {
                boolean applied = lockAndCheckEmpty(c, dialect);
                if (applied) {
                    apply(c, dialect, scripts);
                    c.commit();
                } else {
                    c.rollback();
                }
                return applied;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(autoCommit);
            }
        }
    }

    /** The dialect's migration scripts in version order, as Flyway would apply them to an empty store. */
    static List<Script> scripts(Dialect dialect) {
        String folder = dialect.migrationLocation().substring("classpath:".length());
        List<Script> scripts = new ArrayList<>();
        for (String fileName : AppliedMigrations.scriptNames(dialect)) {
            if (!AppliedMigrations.versioned(fileName)) {
                return List.of(); // repeatable or other scripts: Flyway's business
            }
            String sql = read(folder + "/" + fileName);
            String name = fileName.substring(1, fileName.length() - ".sql".length());
            int separator = name.indexOf("__");
            String version = name.substring(0, separator).replace('_', '.');
            String description = name.substring(separator + 2).replace('_', ' ');
            scripts.add(new Script(version, description, fileName, sql, checksum(sql)));
        }
        scripts.sort((a, b) -> compareVersions(a.version(), b.version()));
        for (int i = 1; i < scripts.size(); i++) {
            if (compareVersions(scripts.get(i - 1).version(), scripts.get(i).version()) == 0) {
                throw new IllegalStateException(
                        "two migration scripts have version " + scripts.get(i).version());
            }
        }
        return scripts;
    }

    /**
     * Flyway's checksum: CRC-32 over the UTF-8 bytes of each line without its line break, the
     * byte-order mark of the first line removed.
     */
    static int checksum(String sql) {
        CRC32 crc = new CRC32();
        try (BufferedReader lines = new BufferedReader(new StringReader(sql))) {
            String line = lines.readLine();
            if (line != null && line.startsWith("\uFEFF")) {
                line = line.substring(1);
            }
            for (; line != null; line = lines.readLine()) {
                crc.update(line.getBytes(StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot read a string", e);
        }
        return (int) crc.getValue();
    }

    /** Versions compared part by part as numbers, as Flyway orders them ({@code 6 < 6.1 < 7 < 10}). */
    static int compareVersions(String a, String b) {
        String[] x = a.split("\\.");
        String[] y = b.split("\\.");
        for (int i = 0; i < Math.max(x.length, y.length); i++) {
            BigInteger p = i < x.length ? new BigInteger(x[i]) : BigInteger.ZERO;
            BigInteger q = i < y.length ? new BigInteger(y[i]) : BigInteger.ZERO;
            int c = p.compareTo(q);
            if (c != 0) {
                return c;
            }
        }
        return 0;
    }

    /** Scripts with placeholders or non-transactional statements are left to Flyway. */
    private static boolean plain(Script script) {
        String upper = script.sql().toUpperCase(Locale.ROOT);
        return !script.sql().contains("${") && !upper.contains("CONCURRENTLY") && !upper.contains("VACUUM");
    }

    /** Takes the store's write lock (SQLite) or an advisory lock (PostgreSQL), then checks it is empty. */
    private static boolean lockAndCheckEmpty(Connection c, Dialect dialect) throws SQLException {
        try (Statement s = c.createStatement()) {
            if (dialect == Dialect.SQLITE) {
                // the first statement of the transaction; a writer connection begins IMMEDIATE, so
                // another process opening the same new file waits here and then sees the tables
                try (ResultSet rs = s.executeQuery("SELECT count(*) FROM sqlite_master")) {
                    return rs.next() && rs.getLong(1) == 0;
                }
            }
            try (ResultSet rs = s.executeQuery("SELECT pg_advisory_xact_lock(" + POSTGRES_LOCK_KEY + ")")) {
                rs.next();
            }
            try (ResultSet rs = s.executeQuery("SELECT current_schema() IS NOT NULL"
                    + " AND NOT EXISTS (SELECT 1 FROM pg_class WHERE relnamespace = current_schema()::regnamespace)"
                    + " AND NOT EXISTS (SELECT 1 FROM pg_type WHERE typnamespace = current_schema()::regnamespace)"
                    + " AND NOT EXISTS (SELECT 1 FROM pg_proc WHERE pronamespace = current_schema()::regnamespace)")) {
                return rs.next() && rs.getBoolean(1);
            }
        }
    }

    private static void apply(Connection c, Dialect dialect, List<Script> scripts) throws SQLException {
        String installedBy = "";
        try (Statement s = c.createStatement()) {
            if (dialect == Dialect.POSTGRESQL) {
                try (ResultSet rs = s.executeQuery("SELECT current_user")) {
                    rs.next();
                    installedBy = rs.getString(1);
                }
            }
            s.executeUpdate(dialect == Dialect.SQLITE ? SQLITE_HISTORY_DDL : POSTGRES_HISTORY_DDL);
        }
        try (PreparedStatement history = c.prepareStatement("INSERT INTO \"" + HISTORY + "\" (\"installed_rank\","
                + " \"version\", \"description\", \"type\", \"script\", \"checksum\", \"installed_by\","
                + " \"execution_time\", \"success\") VALUES (?, ?, ?, 'SQL', ?, ?, ?, ?, ?)")) {
            int rank = 1;
            for (Script script : scripts) {
                long began = System.nanoTime();
                try (Statement s = c.createStatement()) {
                    s.executeUpdate(script.sql());
                } catch (SQLException e) {
                    throw new SQLException(
                            "migration " + script.fileName() + " failed: " + e.getMessage(), e.getSQLState(), e);
                }
                history.setInt(1, rank++);
                history.setString(2, script.version());
                history.setString(3, script.description());
                history.setString(4, script.fileName());
                history.setInt(5, script.checksum());
                history.setString(6, installedBy);
                history.setInt(7, (int) ((System.nanoTime() - began) / 1_000_000));
                history.setBoolean(8, true);
                history.executeUpdate();
            }
        }
    }

    private static String read(String resource) {
        InputStream in = SchemaBaseline.class.getClassLoader().getResourceAsStream(resource);
        if (in == null) {
            throw new IllegalStateException("migration script " + resource + " is missing");
        }
        StringBuilder text = new StringBuilder();
        try (in;
                Reader reader = new InputStreamReader(in, StandardCharsets.UTF_8)) {
            char[] buffer = new char[8192];
            for (int n; (n = reader.read(buffer)) >= 0; ) {
                text.append(buffer, 0, n);
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot read migration script " + resource, e);
        }
        return text.toString();
    }
}
