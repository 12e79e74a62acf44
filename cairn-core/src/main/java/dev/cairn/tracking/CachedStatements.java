package dev.cairn.tracking;

import dev.cairn.core.CairnException;
import dev.cairn.core.ErrorCode;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jdbi.v3.core.Handle;
import org.sqlite.SQLiteConnection;

/**
 * The hot statements of the tracking store, prepared once per SQLite connection and reused:
 * compiling a statement costs SQLite more than running a point lookup, and sqlite-jdbc keeps no
 * statement cache of its own. Statements are prepared on the connection under the pool's proxy, so
 * returning the connection to the pool does not close them; a connection is only ever used by one
 * thread at a time, and so is each of its statements. PostgreSQL's driver caches server-side
 * prepared statements itself, so there each use prepares and closes a statement as usual.
 */
final class CachedStatements {
    private static final Map<SQLiteConnection, Map<String, PreparedStatement>> BY_CONNECTION =
            new ConcurrentHashMap<>();

    private CachedStatements() {}

    /** Work with a prepared statement; it must close every result set it opens. */
    @FunctionalInterface
    interface Use<T> {
        T apply(PreparedStatement statement) throws SQLException;
    }

    static <T> T with(Handle handle, String sql, Use<T> use) {
        try {
            Connection connection = handle.getConnection();
            if (!connection.isWrapperFor(SQLiteConnection.class)) {
                try (PreparedStatement statement = connection.prepareStatement(sql)) {
                    return use.apply(statement);
                }
            }
            PreparedStatement statement = statement(connection.unwrap(SQLiteConnection.class), sql);
            try {
                return use.apply(statement);
            } finally {
                statement.clearParameters();
            }
        } catch (SQLException e) {
            throw new CairnException(ErrorCode.INTERNAL_ERROR, "query failed: " + e.getMessage(), e);
        }
    }

    private static PreparedStatement statement(SQLiteConnection connection, String sql) throws SQLException {
        Map<String, PreparedStatement> statements = BY_CONNECTION.get(connection);
        if (statements == null) {
            // A new connection: forget the ones the pool has closed since (it retires them by age).
            BY_CONNECTION.keySet().removeIf(CachedStatements::isClosed);
            statements = BY_CONNECTION.computeIfAbsent(connection, c -> new ConcurrentHashMap<>());
        }
        PreparedStatement statement = statements.get(sql);
        if (statement == null || statement.isClosed()) {
            statement = connection.prepareStatement(sql);
            statements.put(sql, statement);
        }
        return statement;
    }

    private static boolean isClosed(SQLiteConnection connection) {
        try {
            return connection.isClosed();
        } catch (SQLException e) {
            return true;
        }
    }
}
