package dev.cairn.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.postgresql.ds.PGSimpleDataSource;
import org.sqlite.SQLiteDataSource;

/**
 * The one-step schema of an empty store is exactly the schema Flyway's migrations give, with the
 * same history, so that Flyway validates and upgrades it like a store it made itself.
 */
class SchemaBaselineTest {
    @TempDir
    Path folder;

    @ParameterizedTest
    @EnumSource(TestDatabases.Kind.class)
    void baselineGivesTheSchemaAndHistoryOfTheMigrations(TestDatabases.Kind kind) throws Exception {
        try (EmptyStore baseline = empty(kind, "baseline");
                EmptyStore migrated = empty(kind, "migrated")) {
            assertThat(SchemaBaseline.applyIfEmpty(baseline.source(), dialect(kind)))
                    .isTrue();
            MigrateResult result =
                    flyway(migrated, dialect(kind).migrationLocation()).migrate();
            assertThat(result.migrationsExecuted)
                    .isEqualTo(SchemaBaseline.scripts(dialect(kind)).size());

            assertThat(schema(baseline)).isNotEmpty().isEqualTo(schema(migrated));
            assertThat(history(baseline)).hasSize(result.migrationsExecuted).isEqualTo(history(migrated));
            assertThat(rowCounts(baseline)).isEqualTo(rowCounts(migrated));
        }
    }

    @ParameterizedTest
    @EnumSource(TestDatabases.Kind.class)
    void flywayValidatesAndUpgradesAStoreMadeByTheBaseline(TestDatabases.Kind kind) throws Exception {
        try (EmptyStore store = empty(kind, "store")) {
            assertThat(SchemaBaseline.applyIfEmpty(store.source(), dialect(kind)))
                    .isTrue();
            assertThat(AppliedMigrations.upToDate(store.source(), dialect(kind)))
                    .isTrue();
            assertThat(flyway(store, dialect(kind).migrationLocation()).validateWithResult().validationSuccessful)
                    .isTrue();

            String later =
                    "classpath:db/later-migration/" + dialect(kind).name().toLowerCase(Locale.ROOT);
            Flyway upgrade = flyway(store, dialect(kind).migrationLocation(), later);
            MigrateResult result = upgrade.migrate();
            assertThat(result.migrationsExecuted).isEqualTo(1);
            assertThat(result.targetSchemaVersion).isEqualTo("900");
            assertThat(upgrade.validateWithResult().validationSuccessful).isTrue();
            assertThat(rows(store.source(), "SELECT count(*) FROM later_notes")).containsExactly("0");
            // the store now has a migration this build lacks: no shortcut, Flyway decides
            assertThat(AppliedMigrations.upToDate(store.source(), dialect(kind)))
                    .isFalse();
        }
    }

    @ParameterizedTest
    @EnumSource(TestDatabases.Kind.class)
    void aStoreThatIsNotEmptyIsLeftToFlyway(TestDatabases.Kind kind) throws Exception {
        try (EmptyStore store = empty(kind, "store")) {
            execute(store.source(), "CREATE TABLE something_else (x INTEGER)");
            assertThat(SchemaBaseline.applyIfEmpty(store.source(), dialect(kind)))
                    .isFalse();
            assertThat(tables(store)).containsExactly("something_else");
        }
    }

    @Test
    void checksumsAndVersionOrderAreFlyways() {
        // the checksums Flyway recorded for these scripts in existing stores
        assertThat(SchemaBaseline.scripts(Dialect.SQLITE))
                .extracting(SchemaBaseline.Script::version, SchemaBaseline.Script::checksum)
                .startsWith(tuple("1", 1657457064), tuple("2", 660660963));
        assertThat(SchemaBaseline.scripts(Dialect.POSTGRESQL))
                .extracting(SchemaBaseline.Script::version)
                .containsSubsequence("6", "6.1", "7");
        assertThat(SchemaBaseline.checksum("\uFEFFa\r\nb\n")).isEqualTo(SchemaBaseline.checksum("a\nb"));
        assertThat(SchemaBaseline.compareVersions("10", "9")).isPositive();
        assertThat(SchemaBaseline.compareVersions("6.1", "6")).isPositive();
        assertThat(SchemaBaseline.compareVersions("6.0", "6")).isZero();
    }

    /** An empty store and the data source over it. */
    private record EmptyStore(DataSource source, Runnable drop) implements AutoCloseable {
        @Override
        public void close() {
            drop.run();
        }
    }

    private EmptyStore empty(TestDatabases.Kind kind, String name) {
        if (kind == TestDatabases.Kind.SQLITE) {
            SQLiteDataSource source = new SQLiteDataSource();
            source.setUrl("jdbc:sqlite:" + folder.resolve(name + ".db"));
            return new EmptyStore(source, () -> {});
        }
        TestDatabases.EmptyDatabase database = TestDatabases.emptyPostgresql();
        PGSimpleDataSource source = new PGSimpleDataSource();
        source.setUrl(database.url().jdbcUrl());
        database.url().user().ifPresent(source::setUser);
        database.url().password().ifPresent(source::setPassword);
        return new EmptyStore(source, database.drop());
    }

    private static Flyway flyway(EmptyStore store, String... locations) {
        return Flyway.configure()
                .dataSource(store.source())
                .locations(locations)
                .load();
    }

    /** Every object of the schema as the database describes it, Flyway's history table included. */
    private static List<String> schema(EmptyStore store) throws SQLException {
        if (store.source() instanceof SQLiteDataSource) {
            return rows(store.source(), "SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY type, name");
        }
        List<String> schema = new ArrayList<>();
        String here = "current_schema()::regnamespace";
        schema.addAll(rows(
                store.source(),
                "SELECT table_name, column_name, ordinal_position, data_type, column_default, is_nullable,"
                        + " character_maximum_length, numeric_precision FROM information_schema.columns"
                        + " WHERE table_schema = current_schema() ORDER BY 1, 3"));
        schema.addAll(rows(
                store.source(),
                "SELECT c.relname, c.relkind, c.relpersistence FROM pg_class c WHERE c.relnamespace = " + here
                        + " ORDER BY 1"));
        schema.addAll(rows(
                store.source(),
                "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) FROM pg_constraint"
                        + " WHERE connamespace = " + here + " ORDER BY 1, 2"));
        schema.addAll(rows(
                store.source(),
                "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = current_schema() ORDER BY 1"));
        schema.addAll(rows(
                store.source(),
                "SELECT viewname, definition FROM pg_views WHERE schemaname = current_schema() ORDER BY 1"));
        schema.addAll(rows(
                store.source(),
                "SELECT sequencename, data_type, last_value FROM pg_sequences"
                        + " WHERE schemaname = current_schema() ORDER BY 1"));
        schema.addAll(rows(
                store.source(),
                "SELECT t.tgname, pg_get_triggerdef(t.oid) FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid"
                        + " WHERE NOT t.tgisinternal AND c.relnamespace = " + here + " ORDER BY 1"));
        schema.addAll(rows(
                store.source(),
                "SELECT proname, pg_get_functiondef(oid) FROM pg_proc WHERE pronamespace = " + here + " ORDER BY 1"));
        return schema;
    }

    /** Flyway's history without the time it ran at and took. */
    private static List<String> history(EmptyStore store) throws SQLException {
        return rows(
                store.source(),
                "SELECT installed_rank, version, description, type, script, checksum, installed_by, success"
                        + " FROM flyway_schema_history ORDER BY installed_rank");
    }

    /** The number of rows of each table (the migrations insert some, like the Default experiment). */
    private static List<String> rowCounts(EmptyStore store) throws SQLException {
        List<String> counts = new ArrayList<>();
        for (String table : tables(store)) {
            if (!table.equals("flyway_schema_history")) {
                counts.add(table + "="
                        + rows(store.source(), "SELECT count(*) FROM " + table).get(0));
            }
        }
        return counts;
    }

    private static List<String> tables(EmptyStore store) throws SQLException {
        String sql = store.source() instanceof SQLiteDataSource
                ? "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"
                : "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()"
                        + " AND table_type = 'BASE TABLE' ORDER BY 1";
        return rows(store.source(), sql);
    }

    private static void execute(DataSource source, String sql) throws SQLException {
        try (Connection c = source.getConnection();
                Statement s = c.createStatement()) {
            s.executeUpdate(sql);
        }
    }

    private static List<String> rows(DataSource source, String sql) throws SQLException {
        List<String> rows = new ArrayList<>();
        try (Connection c = source.getConnection();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(sql)) {
            ResultSetMetaData meta = rs.getMetaData();
            while (rs.next()) {
                StringBuilder row = new StringBuilder();
                for (int i = 1; i <= meta.getColumnCount(); i++) {
                    row.append(i > 1 ? " | " : "").append(rs.getString(i));
                }
                rows.add(row.toString());
            }
        }
        return rows;
    }

    private static Dialect dialect(TestDatabases.Kind kind) {
        return kind == TestDatabases.Kind.SQLITE ? Dialect.SQLITE : Dialect.POSTGRESQL;
    }
}
