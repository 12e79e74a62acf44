package dev.cairn.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.core.CairnException;
import dev.cairn.core.ErrorCode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.sqlite.SQLiteDataSource;

class DatabaseTest {

    @ParameterizedTest
    @EnumSource(TestDatabases.Kind.class)
    void migrationCreatesTheDefaultExperiment(TestDatabases.Kind kind) {
        try (Database db = kind.open()) {
            String name = db.jdbi()
                    .withHandle(h -> h.createQuery("SELECT name FROM experiments WHERE experiment_id = 0")
                            .mapTo(String.class)
                            .one());
            assertThat(name).isEqualTo("Default");
        }
    }

    @ParameterizedTest
    @EnumSource(TestDatabases.Kind.class)
    void writeReturnsTheCallbackResultAfterCommit(TestDatabases.Kind kind) {
        try (Database db = kind.open()) {
            int inserted = db.write(
                    h -> h.execute(
                            "INSERT INTO experiments (name, artifact_location, creation_time, last_update_time) VALUES ('a', 'x', 1, 1)"));
            assertThat(inserted).isEqualTo(1);
            assertThat(count(db)).isEqualTo(2);
        }
    }

    @ParameterizedTest
    @EnumSource(TestDatabases.Kind.class)
    void sixtyFourConcurrentWritersAllCommitWithoutError(TestDatabases.Kind kind) throws Exception {
        try (Database db = kind.open()) {
            ExecutorService pool = Executors.newFixedThreadPool(64);
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < 64; t++) {
                int thread = t;
                futures.add(pool.submit(() -> {
                    for (int i = 0; i < 50; i++) {
                        String name = "e-" + thread + "-" + i;
                        db.write(h -> h.execute(
                                "INSERT INTO experiments (name, artifact_location, creation_time, last_update_time) VALUES (?, 'x', 1, 1)",
                                name));
                    }
                }));
            }
            for (Future<?> future : futures) {
                future.get();
            }
            pool.shutdown();
            assertThat(count(db)).isEqualTo(1 + 64 * 50);
        }
    }

    @ParameterizedTest
    @EnumSource(TestDatabases.Kind.class)
    void aFailingWriteRollsBackOnlyItselfAndItsCallerGetsItsException(TestDatabases.Kind kind) throws Exception {
        try (Database db = kind.open()) {
            ExecutorService pool = Executors.newFixedThreadPool(16);
            List<Future<Boolean>> futures = new ArrayList<>();
            for (int t = 0; t < 200; t++) {
                int n = t;
                futures.add(pool.submit(() -> {
                    try {
                        db.write(h -> {
                            h.execute(
                                    "INSERT INTO experiments (name, artifact_location, creation_time, last_update_time) VALUES (?, 'x', 1, 1)",
                                    "ok-" + n);
                            if (n % 3 == 0) {
                                throw CairnException.invalid("task " + n + " fails");
                            }
                            return null;
                        });
                        return true;
                    } catch (CairnException e) {
                        assertThat(e.getMessage()).isEqualTo("task " + n + " fails");
                        return false;
                    }
                }));
            }
            int succeeded = 0;
            for (Future<Boolean> future : futures) {
                succeeded += future.get() ? 1 : 0;
            }
            pool.shutdown();
            assertThat(succeeded).isEqualTo(200 - 67);
            assertThat(count(db)).isEqualTo(1 + 200 - 67);
        }
    }

    @ParameterizedTest
    @EnumSource(TestDatabases.Kind.class)
    void aNestedWriteRunsInTheEnclosingTransaction(TestDatabases.Kind kind) {
        try (Database db = kind.open()) {
            assertThatThrownBy(() -> db.write(h -> {
                        db.write(
                                inner -> inner.execute(
                                        "INSERT INTO experiments (name, artifact_location, creation_time, last_update_time) VALUES ('n', 'x', 1, 1)"));
                        throw CairnException.invalid("outer fails");
                    }))
                    .hasMessage("outer fails");
            assertThat(count(db)).isEqualTo(1);
        }
    }

    @ParameterizedTest
    @EnumSource(TestDatabases.Kind.class)
    void readersSeeCommittedWrites(TestDatabases.Kind kind) {
        try (Database db = kind.open()) {
            for (int i = 0; i < 10; i++) {
                String name = "r" + i;
                db.write(h -> h.execute(
                        "INSERT INTO experiments (name, artifact_location, creation_time, last_update_time) VALUES (?, 'x', 1, 1)",
                        name));
                assertThat(count(db)).isEqualTo(2 + i);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(TestDatabases.Kind.class)
    void writesProceedWhileAReaderHoldsALongTransaction(TestDatabases.Kind kind) {
        try (Database db = kind.open()) {
            db.jdbi().useTransaction(reader -> {
                int before = reader.createQuery("SELECT COUNT(*) FROM experiments")
                        .mapTo(Integer.class)
                        .one();
                for (int i = 0; i < 100; i++) {
                    String name = "w" + i;
                    db.write(h -> h.execute(
                            "INSERT INTO experiments (name, artifact_location, creation_time, last_update_time)"
                                    + " VALUES (?, 'x', 1, 1)",
                            name));
                }
                int during = reader.createQuery("SELECT COUNT(*) FROM experiments")
                        .mapTo(Integer.class)
                        .one();
                // SQLite readers keep their snapshot; PostgreSQL's READ COMMITTED sees each commit.
                assertThat(during).isEqualTo(kind == TestDatabases.Kind.SQLITE ? before : before + 100);
            });
            assertThat(count(db)).isEqualTo(101);
        }
    }

    @ParameterizedTest
    @EnumSource(TestDatabases.Kind.class)
    void writesAfterCloseFailWithACategorizedError(TestDatabases.Kind kind) {
        Database db = kind.open();
        db.close();
        assertThatThrownBy(() -> db.write(h -> h.execute("SELECT 1")))
                .isInstanceOf(RuntimeException.class)
                .satisfies(e -> {
                    if (kind == TestDatabases.Kind.SQLITE) {
                        assertThat(((CairnException) e).code()).isEqualTo(ErrorCode.TEMPORARILY_UNAVAILABLE);
                    }
                });
    }

    @Test
    void reopeningAnUpToDateSqliteStoreSkipsFlywayButNotWhenAMigrationIsMissing(@TempDir Path folder) {
        Path file = folder.resolve("cairn.db");
        SQLiteDataSource source = new SQLiteDataSource();
        source.setUrl("jdbc:sqlite:" + file);
        int applied;
        try (Database db = TestDatabases.sqlite(folder)) {
            db.write(h -> h.execute("INSERT INTO experiments (name, artifact_location, creation_time,"
                    + " last_update_time) VALUES ('kept', 'x', 0, 0)"));
            applied = historyRows(db);
        }
        assertThat(AppliedMigrations.upToDate(source, Dialect.SQLITE)).isTrue();
        try (Database db = TestDatabases.sqlite(folder)) {
            assertThat(count(db)).isEqualTo(2);
            assertThat(historyRows(db)).isEqualTo(applied);
            // As if this build had brought a migration the store has not seen: Flyway must run.
            db.write(h -> h.execute("DELETE FROM flyway_schema_history WHERE installed_rank ="
                    + " (SELECT MAX(installed_rank) FROM flyway_schema_history)"));
        }
        assertThat(AppliedMigrations.upToDate(source, Dialect.SQLITE)).isFalse();
    }

    private static int historyRows(Database db) {
        return db.jdbi().withHandle(h -> h.createQuery("SELECT COUNT(*) FROM flyway_schema_history")
                .mapTo(Integer.class)
                .one());
    }

    private static int count(Database db) {
        return db.jdbi().withHandle(h -> h.createQuery("SELECT COUNT(*) FROM experiments")
                .mapTo(Integer.class)
                .one());
    }
}
