package dev.cairn.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sqlite.SQLiteDataSource;

class WalCheckpointerTest {
    /** Generous: only a broken checkpointer ever waits this long. */
    private static final long PATIENCE_NANOS = 30_000_000_000L;

    @TempDir
    Path temp;

    @Test
    void aFailingCheckpointIsRetriedAndTheThreadKeepsWorking() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        try (WalCheckpointer checkpointer = WalCheckpointer.start(source(), connection -> {
            if (calls.incrementAndGet() == 1) {
                throw new IllegalStateException("a checkpoint that fails once");
            }
            return WalCheckpointer.WRITER_CHECKPOINT_FRAMES + 1;
        })) {
            checkpointer.committed();
            long deadline = System.nanoTime() + PATIENCE_NANOS;
            boolean asked = false;
            while (!asked && System.nanoTime() < deadline) {
                Thread.sleep(20);
                asked = checkpointer.writerTurn();
            }
            assertThat(asked)
                    .as("the thread checkpointed again after the failure")
                    .isTrue();
            assertThat(calls.get()).isGreaterThanOrEqualTo(2);
        }
    }

    @Test
    void whenTheThreadDiesTheWriterCheckpointsOnItsOwn() throws Exception {
        SQLiteDataSource source = source();
        try (Connection writer = source.getConnection();
                WalCheckpointer checkpointer = WalCheckpointer.start(source, connection -> {
                    throw new StackOverflowError("a checkpoint thread that dies");
                })) {
            try (Statement statement = writer.createStatement()) {
                statement.execute("PRAGMA wal_autocheckpoint = 0");
            }
            assertThat(autocheckpoint(writer)).isZero();
            checkpointer.committed();
            long deadline = System.nanoTime() + PATIENCE_NANOS;
            while (autocheckpoint(writer) == 0 && System.nanoTime() < deadline) {
                Thread.sleep(20);
                checkpointer.afterGroup(writer);
            }
            assertThat(autocheckpoint(writer)).isEqualTo(1000);
        }
    }

    private SQLiteDataSource source() {
        SQLiteDataSource source = new SQLiteDataSource();
        source.setUrl("jdbc:sqlite:" + temp.resolve("wal.db"));
        source.setJournalMode("WAL");
        return source;
    }

    private static int autocheckpoint(Connection connection) throws Exception {
        try (Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery("PRAGMA wal_autocheckpoint")) {
            assertThat(rs.next()).isTrue();
            return rs.getInt(1);
        }
    }
}
