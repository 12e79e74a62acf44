package dev.cairn.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.cairn.core.CairnException;
import dev.cairn.core.ErrorCode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.flywaydb.core.Flyway;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.HandleCallback;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

/**
 * SQLite in WAL mode: one writer connection owned by one writer thread that drains a queue of
 * write tasks and commits them in groups, and a pool of query-only reader connections. Because
 * only the writer thread writes, "database is locked" cannot arise between Cairn's own writers.
 */
final class SqliteDatabase implements Database {
    private static final Logger LOG = LoggerFactory.getLogger(SqliteDatabase.class);
    private static final int BUSY_TIMEOUT_MS = 30_000;
    private static final int MAX_GROUP = 512;
    private static final int QUEUE_CAPACITY = 4096;

    private final StoreUrl url;
    private final HikariDataSource readers;
    private final Jdbi readJdbi;
    private final Handle writer;
    private final BlockingQueue<WriteTask<?>> queue = new ArrayBlockingQueue<>(QUEUE_CAPACITY);
    private final Thread writerThread;
    private final WalCheckpointer checkpointer;
    private volatile boolean closed;
    /** Used only by the writer thread. */
    private Savepoints savepoints;

    private SqliteDatabase(StoreUrl url, Handle writer, HikariDataSource readers) {
        this.url = url;
        this.writer = writer;
        this.readers = readers;
        this.readJdbi = Jdbi.create(readers);
        this.checkpointer = checkpointer(url, writer, readers);
        this.writerThread = new Thread(this::drain, "cairn-sqlite-writer");
        this.writerThread.setDaemon(true);
        this.writerThread.start();
    }

    static SqliteDatabase open(StoreUrl url) {
        Path file = url.sqliteFile().orElseThrow();
        createParent(file);
        SqliteNativeLibrary.prepare();
        SQLiteDataSource writerSource = dataSource(url, config(false));
        migrate(writerSource);
        Handle writer;
        try {
            writer = Jdbi.create(writerSource).open();
        } catch (RuntimeException e) {
            throw new CairnException(
                    ErrorCode.INTERNAL_ERROR, "cannot open SQLite store " + file + ": " + e.getMessage(), e);
        }
        HikariConfig pool = new HikariConfig();
        pool.setPoolName("cairn-sqlite-readers");
        pool.setDataSource(dataSource(url, config(true)));
        pool.setMaximumPoolSize(Math.max(4, 2 * Runtime.getRuntime().availableProcessors()));
        pool.setMinimumIdle(1);
        pool.setConnectionInitSql("PRAGMA query_only = 1");
        return new SqliteDatabase(url, writer, new HikariDataSource(pool));
    }

    /** Moves checkpoints off the writer: its commits no longer checkpoint (and fsync) on their own. */
    private static WalCheckpointer checkpointer(StoreUrl url, Handle writer, HikariDataSource readers) {
        try (Statement statement = writer.getConnection().createStatement()) {
            statement.execute("PRAGMA wal_autocheckpoint = 0");
            return WalCheckpointer.start(dataSource(url, config(false)));
        } catch (SQLException e) {
            writer.close();
            readers.close();
            throw new CairnException(
                    ErrorCode.INTERNAL_ERROR, "cannot open SQLite store " + url + ": " + e.getMessage(), e);
        }
    }

    private static void createParent(Path file) {
        try {
            Path parent = file.getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
        } catch (IOException e) {
            throw new CairnException(ErrorCode.INTERNAL_ERROR, "cannot create the folder of SQLite store " + file, e);
        }
    }

    private static SQLiteConfig config(boolean reader) {
        SQLiteConfig config = new SQLiteConfig();
        config.setJournalMode(SQLiteConfig.JournalMode.WAL);
        // NORMAL in WAL mode survives a process kill (not a power loss), which is what we promise.
        config.setSynchronous(SQLiteConfig.SynchronousMode.NORMAL);
        config.setBusyTimeout(BUSY_TIMEOUT_MS);
        config.enforceForeignKeys(true);
        config.enableCaseSensitiveLike(true);
        config.setTempStore(SQLiteConfig.TempStore.MEMORY);
        config.setCacheSize(-32_000);
        if (!reader) {
            // Take the write lock when the transaction begins, so that the busy timeout applies.
            config.setTransactionMode(SQLiteConfig.TransactionMode.IMMEDIATE);
        }
        return config;
    }

    private static SQLiteDataSource dataSource(StoreUrl url, SQLiteConfig config) {
        SQLiteDataSource source = new SQLiteDataSource(config);
        source.setUrl(url.jdbcUrl());
        return source;
    }

    private static void migrate(SQLiteDataSource source) {
        if (AppliedMigrations.upToDate(source, Dialect.SQLITE) || SchemaBaseline.applyToEmpty(source, Dialect.SQLITE)) {
            return;
        }
        Flyway.configure()
                .dataSource(source)
                .locations(Dialect.SQLITE.migrationLocation())
                .load()
                .migrate();
    }

    @Override
    public Jdbi jdbi() {
        return readJdbi;
    }

    @Override
    public Dialect dialect() {
        return Dialect.SQLITE;
    }

    @Override
    public StoreUrl url() {
        return url;
    }

    @Override
    public <T> T write(HandleCallback<T, RuntimeException> callback) {
        if (Thread.currentThread() == writerThread) {
            return callback.withHandle(writer);
        }
        WriteTask<T> task = new WriteTask<>(callback);
        enqueue(task);
        try {
            return task.result.join();
        } catch (CompletionException e) {
            throw rethrow(e.getCause());
        }
    }

    private void enqueue(WriteTask<?> task) {
        try {
            while (!queue.offer(task, 100, TimeUnit.MILLISECONDS)) {
                requireOpen();
            }
            requireOpen();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CairnException(ErrorCode.TEMPORARILY_UNAVAILABLE, "interrupted while queuing a write", e);
        }
    }

    private void requireOpen() {
        if (closed) {
            throw new CairnException(ErrorCode.TEMPORARILY_UNAVAILABLE, "the store " + url + " is closed");
        }
    }

    private static RuntimeException rethrow(Throwable cause) {
        if (cause instanceof RuntimeException runtime) {
            return runtime;
        }
        if (cause instanceof Error error) {
            throw error;
        }
        return new CairnException(ErrorCode.INTERNAL_ERROR, "write failed: " + cause, cause);
    }

    private void drain() {
        List<WriteTask<?>> group = new ArrayList<>(MAX_GROUP);
        while (!closed || !queue.isEmpty()) {
            try {
                WriteTask<?> first = queue.poll(50, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                group.add(first);
                queue.drainTo(group, MAX_GROUP - 1);
                commitGroup(group);
                checkpointer.afterGroup(writer.getConnection());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            } catch (Throwable t) {
                LOG.error("SQLite writer failed a group of {} writes", group.size(), t);
                for (WriteTask<?> task : group) {
                    task.result.completeExceptionally(t);
                }
            } finally {
                group.clear();
            }
        }
    }

    /** Runs each task in its own savepoint of one transaction, commits once, then answers them. */
    private void commitGroup(List<WriteTask<?>> group) {
        List<WriteTask<?>> succeeded = new ArrayList<>(group.size());
        try {
            writer.begin();
            Savepoints savepoints = savepoints();
            for (WriteTask<?> task : group) {
                if (task.runInSavepoint(writer, savepoints)) {
                    succeeded.add(task);
                }
            }
            writer.commit();
            checkpointer.committed();
        } catch (RuntimeException | SQLException e) {
            rollbackQuietly();
            CairnException failure = new CairnException(
                    ErrorCode.TEMPORARILY_UNAVAILABLE, "the SQLite store could not commit: " + e.getMessage(), e);
            // Tasks not yet run and tasks whose writes were rolled back with the group all fail;
            // a task that already failed on its own keeps its own exception.
            group.forEach(task -> task.result.completeExceptionally(failure));
            return;
        }
        succeeded.forEach(WriteTask::complete);
    }

    /** The writer's savepoint statements, prepared once: they wrap every write, so compiling them each time shows. */
    private Savepoints savepoints() throws SQLException {
        if (savepoints == null || savepoints.begin.isClosed()) {
            Connection connection = writer.getConnection();
            savepoints = new Savepoints(
                    connection.prepareStatement("SAVEPOINT cairn_task"),
                    connection.prepareStatement("RELEASE cairn_task"),
                    connection.prepareStatement("ROLLBACK TO cairn_task"));
        }
        return savepoints;
    }

    /** Statements that open, release and roll back the savepoint of one write task. */
    private record Savepoints(PreparedStatement begin, PreparedStatement release, PreparedStatement rollback) {}

    private void rollbackQuietly() {
        try {
            writer.rollback();
        } catch (RuntimeException e) {
            LOG.warn("rollback of a failed SQLite write group failed", e);
        }
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            writerThread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        checkpointer.close();
        try {
            writer.execute("PRAGMA optimize");
        } catch (RuntimeException e) {
            LOG.debug("PRAGMA optimize failed on close", e);
        }
        writer.close();
        readers.close();
    }

    /** One write and its answer. */
    private static final class WriteTask<T> {
        private final HandleCallback<T, RuntimeException> callback;
        private final CompletableFuture<T> result = new CompletableFuture<>();
        private T value;

        WriteTask(HandleCallback<T, RuntimeException> callback) {
            this.callback = callback;
        }

        /** Runs the task; on failure rolls back its savepoint, answers the caller and returns false. */
        boolean runInSavepoint(Handle handle, Savepoints savepoints) throws SQLException {
            // Plain JDBC for the savepoints: they wrap every write, so their cost is paid per task.
            savepoints.begin().execute();
            try {
                value = callback.withHandle(handle);
                savepoints.release().execute();
                return true;
            } catch (Throwable t) {
                result.completeExceptionally(t);
                undo(savepoints, t);
                return false;
            }
        }

        /** Rolls back to the savepoint; when even that fails, the whole group must be rolled back. */
        private static void undo(Savepoints savepoints, Throwable cause) throws SQLException {
            try {
                savepoints.rollback().execute();
                savepoints.release().execute();
            } catch (SQLException e) {
                LOG.warn("rollback to savepoint failed after {}", cause.toString(), e);
                throw e;
            }
        }

        void complete() {
            result.complete(value);
        }
    }
}
