package dev.cairn.store;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sqlite.SQLiteDataSource;

/**
 * Copies the SQLite write-ahead log back into the database file on its own thread and connection.
 * SQLite's automatic checkpoint runs inside the commit that crosses its threshold, on the one writer
 * thread, and its two fsyncs stalled every queued write behind it (up to 150 ms on a busy disk). A
 * passive checkpoint here never blocks the writer, but while the writer keeps appending it may never
 * catch up with the end of the log, and only a fully copied log is rewound; so when the log has grown
 * past {@link #WRITER_CHECKPOINT_FRAMES}, the writer is asked to checkpoint once itself, between two
 * groups, where nothing can append meanwhile.
 */
final class WalCheckpointer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(WalCheckpointer.class);
    /** How often to look for committed frames; at thousands of commits per second a few hundred pages. */
    private static final long PERIOD_NANOS = 100_000_000L;
    /** About 40 MiB of 4 KiB pages: beyond this the writer checkpoints itself so that the log rewinds. */
    static final int WRITER_CHECKPOINT_FRAMES = 10_000;
    /** The pause after a failed checkpoint, so that a lasting fault does not spin or flood the log. */
    private static final long BACK_OFF_NANOS = 1_000_000_000L;
    /** SQLite's own default, which the writer returns to when this thread is gone. */
    private static final int DEFAULT_AUTOCHECKPOINT = 1000;

    /** One checkpoint on the given connection, returning the frames in the log. */
    @FunctionalInterface
    interface Step {
        int checkpoint(Connection connection) throws SQLException;
    }

    private final Connection connection;
    private final Step step;
    private final Thread thread;
    private final AtomicBoolean committed = new AtomicBoolean();
    private final AtomicBoolean writerTurn = new AtomicBoolean();
    private volatile boolean closed;
    /** Set when the thread ended without being closed: from then on the writer checkpoints itself. */
    private volatile boolean abandoned;
    /** Used only by the writer thread. */
    private boolean writerTookOver;

    private WalCheckpointer(Connection connection, Step step) {
        this.connection = connection;
        this.step = step;
        this.thread = new Thread(this::run, "cairn-sqlite-checkpointer");
        this.thread.setDaemon(true);
    }

    /** Opens the checkpointer's connection and starts its thread. */
    static WalCheckpointer start(SQLiteDataSource source) throws SQLException {
        return start(source, WalCheckpointer::passive);
    }

    /** As {@link #start(SQLiteDataSource)}, with each checkpoint done by {@code step}. */
    static WalCheckpointer start(SQLiteDataSource source, Step step) throws SQLException {
        WalCheckpointer checkpointer = new WalCheckpointer(source.getConnection(), step);
        checkpointer.thread.start();
        return checkpointer;
    }

    /** Called by the writer thread after each commit. */
    void committed() {
        committed.lazySet(true);
    }

    /** Whether the writer should checkpoint now (the log has outgrown the passive checkpoints). */
    boolean writerTurn() {
        return writerTurn.get() && writerTurn.getAndSet(false);
    }

    /**
     * Called by the writer thread between groups: checkpoints on {@code writer} when asked to, and if
     * this thread has died, gives the writer back SQLite's automatic checkpoints so the log stays bounded.
     */
    void afterGroup(Connection writer) {
        if (abandoned && !writerTookOver) {
            writerTookOver = true;
            try (Statement statement = writer.createStatement()) {
                statement.execute("PRAGMA wal_autocheckpoint = " + DEFAULT_AUTOCHECKPOINT);
            } catch (SQLException e) {
                LOG.warn("restoring automatic checkpoints on the SQLite writer failed", e);
            }
        }
        if (writerTurn()) {
            checkpoint(writer);
        }
    }

    /** Runs a passive checkpoint on {@code writer}'s connection; the writer thread calls it between groups. */
    static void checkpoint(Connection writer) {
        try {
            passive(writer);
        } catch (SQLException e) {
            LOG.warn("checkpoint on the SQLite writer failed", e);
        }
    }

    private void run() {
        try {
            while (!closed) {
                LockSupport.parkNanos(this, PERIOD_NANOS);
                if (closed || !committed.getAndSet(false)) {
                    continue;
                }
                try {
                    if (step.checkpoint(connection) > WRITER_CHECKPOINT_FRAMES) {
                        writerTurn.set(true);
                    }
                } catch (SQLException | RuntimeException e) {
                    // Nothing else checkpoints while this thread lives: keep it alive, and try again.
                    LOG.warn("background SQLite checkpoint failed; retrying", e);
                    committed.set(true);
                    LockSupport.parkNanos(this, BACK_OFF_NANOS);
                }
            }
        } finally {
            if (!closed) {
                abandoned = true;
                LOG.error("the SQLite checkpoint thread stopped; the writer checkpoints on its own from now on");
            }
        }
    }

    /** A passive checkpoint: copies what it can without waiting for anyone; returns the frames in the log. */
    private static int passive(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery("PRAGMA wal_checkpoint(PASSIVE)")) {
            return rs.next() ? rs.getInt(2) : 0;
        }
    }

    @Override
    public void close() {
        closed = true;
        LockSupport.unpark(thread);
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            connection.close();
        } catch (SQLException e) {
            LOG.debug("closing the checkpoint connection failed", e);
        }
    }
}
