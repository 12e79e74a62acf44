package dev.cairn.store;

import org.jdbi.v3.core.HandleCallback;
import org.jdbi.v3.core.Jdbi;

/**
 * The metadata database: migrated by Flyway when opened, read through pooled {@link #jdbi()}
 * handles, written only through {@link #write}. One instance lives as long as the process.
 */
public interface Database extends AutoCloseable {

    /** Opens (creating when absent) and migrates the database at {@code url}. */
    static Database open(StoreUrl url) {
        return switch (url.dialect()) {
            case SQLITE -> SqliteDatabase.open(url);
            case POSTGRESQL -> PostgresDatabase.open(url);
        };
    }

    /** Pooled connections for reads; on SQLite they are read-only. */
    Jdbi jdbi();

    /**
     * Runs {@code callback} in a write transaction and returns its result once that transaction
     * has committed. On SQLite all writes go through one writer thread that commits them in groups;
     * each callback runs in its own savepoint, so a callback that throws rolls back only its own
     * writes, and its exception is thrown here. Called from inside a write callback, it runs the
     * nested callback inline in the enclosing transaction.
     */
    <T> T write(HandleCallback<T, RuntimeException> callback);

    Dialect dialect();

    StoreUrl url();

    /** Finishes the queued writes and closes every connection. */
    @Override
    void close();
}
