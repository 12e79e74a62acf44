package dev.cairn.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.cairn.core.CairnException;
import dev.cairn.core.ErrorCode;
import java.sql.SQLException;
import java.util.Set;
import org.flywaydb.core.Flyway;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.HandleCallback;
import org.jdbi.v3.core.Jdbi;

/**
 * PostgreSQL through a HikariCP pool; writes run concurrently, each in its own transaction, and
 * are retried when PostgreSQL aborts them for a serialization failure, a deadlock or a unique
 * violation. The last makes the stores' check-then-insert writes safe under concurrency: the retry
 * sees the row the other transaction committed and answers as it would have without the race.
 */
final class PostgresDatabase implements Database {
    private static final Set<String> RETRYABLE_STATES = Set.of("40001", "40P01", "23505");
    private static final int MAX_ATTEMPTS = 5;

    private final StoreUrl url;
    private final HikariDataSource pool;
    private final Jdbi jdbi;
    private final ThreadLocal<Handle> current = new ThreadLocal<>();

    private PostgresDatabase(StoreUrl url, HikariDataSource pool) {
        this.url = url;
        this.pool = pool;
        this.jdbi = Jdbi.create(pool);
    }

    static PostgresDatabase open(StoreUrl url) {
        HikariConfig config = new HikariConfig();
        config.setPoolName("cairn-postgresql");
        config.setJdbcUrl(url.jdbcUrl());
        url.user().ifPresent(config::setUsername);
        url.password().ifPresent(config::setPassword);
        config.setMaximumPoolSize(16);
        config.setMinimumIdle(1);
        config.addDataSourceProperty("reWriteBatchedInserts", "true");
        HikariDataSource pool;
        try {
            pool = new HikariDataSource(config);
        } catch (RuntimeException e) {
            throw new CairnException(
                    ErrorCode.TEMPORARILY_UNAVAILABLE,
                    "cannot connect to PostgreSQL store " + url + ": " + e.getMessage(),
                    e);
        }
        try {
            if (!AppliedMigrations.upToDate(pool, Dialect.POSTGRESQL)
                    && !SchemaBaseline.applyToEmpty(pool, Dialect.POSTGRESQL)) {
                Flyway.configure()
                        .dataSource(pool)
                        .locations(Dialect.POSTGRESQL.migrationLocation())
                        .load()
                        .migrate();
            }
        } catch (RuntimeException e) {
            pool.close();
            throw e;
        }
        return new PostgresDatabase(url, pool);
    }

    @Override
    public Jdbi jdbi() {
        return jdbi;
    }

    @Override
    public <T> T write(HandleCallback<T, RuntimeException> callback) {
        Handle enclosing = current.get();
        if (enclosing != null) {
            return callback.withHandle(enclosing);
        }
        for (int attempt = 1; ; attempt++) {
            try {
                return jdbi.inTransaction(handle -> {
                    current.set(handle);
                    try {
                        return callback.withHandle(handle);
                    } finally {
                        current.remove();
                    }
                });
            } catch (RuntimeException e) {
                if (attempt >= MAX_ATTEMPTS || !retryable(e)) {
                    throw e;
                }
            }
        }
    }

    private static boolean retryable(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql && RETRYABLE_STATES.contains(sql.getSQLState())) {
                return true;
            }
        }
        return false;
    }

    @Override
    public Dialect dialect() {
        return Dialect.POSTGRESQL;
    }

    @Override
    public StoreUrl url() {
        return url;
    }

    @Override
    public void close() {
        pool.close();
    }
}
