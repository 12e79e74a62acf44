package dev.cairn.tracking;

import dev.cairn.core.CairnException;
import dev.cairn.core.ErrorCode;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.Query;

/** SQL text built piece by piece with its positional arguments in the same order. */
public final class BoundSql {
    private final StringBuilder sql = new StringBuilder();
    private final List<Object> args = new ArrayList<>();

    public BoundSql append(String text, Object... arguments) {
        sql.append(text);
        args.addAll(List.of(arguments));
        return this;
    }

    /** Appends {@code (?, ?, ...)} for the values. */
    public BoundSql appendList(Collection<?> values) {
        sql.append('(');
        int i = 0;
        for (Object value : values) {
            sql.append(i++ == 0 ? "?" : ", ?");
            args.add(value);
        }
        sql.append(')');
        return this;
    }

    public BoundSql append(BoundSql other) {
        sql.append(other.sql);
        args.addAll(other.args);
        return this;
    }

    public boolean isEmpty() {
        return sql.length() == 0;
    }

    /** A consumer of result rows that may fail with {@link SQLException}. */
    public interface Row {
        void accept(ResultSet rs) throws SQLException;
    }

    /** A mapper of result rows that may fail with {@link SQLException}. */
    public interface Mapper<T> {
        T map(ResultSet rs) throws SQLException;
    }

    /**
     * Runs the query on the handle's connection with plain JDBC and hands each row to {@code row}:
     * the hot read paths (search pages, run data) bind hundreds of ids, which plain JDBC binds fastest.
     */
    public void forEachRow(Handle handle, Row row) {
        try (PreparedStatement statement = handle.getConnection().prepareStatement(sql.toString())) {
            for (int i = 0; i < args.size(); i++) {
                bind(statement, i + 1, args.get(i));
            }
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    row.accept(rs);
                }
            }
        } catch (SQLException e) {
            throw new CairnException(ErrorCode.INTERNAL_ERROR, "query failed: " + e.getMessage(), e);
        }
    }

    public <T> List<T> list(Handle handle, Mapper<T> mapper) {
        List<T> result = new ArrayList<>();
        forEachRow(handle, rs -> result.add(mapper.map(rs)));
        return result;
    }

    private static void bind(PreparedStatement statement, int index, Object value) throws SQLException {
        if (value instanceof String s) {
            statement.setString(index, s);
        } else if (value instanceof Long l) {
            statement.setLong(index, l);
        } else if (value instanceof Integer n) {
            statement.setInt(index, n);
        } else if (value instanceof Double d) {
            statement.setDouble(index, d);
        } else if (value instanceof Boolean b) {
            statement.setBoolean(index, b);
        } else {
            throw new IllegalArgumentException("unsupported argument type " + value.getClass());
        }
    }

    public Query query(Handle handle) {
        Query query = handle.createQuery(sql.toString());
        for (int i = 0; i < args.size(); i++) {
            query.bind(i, args.get(i));
        }
        return query;
    }

    public int update(Handle handle) {
        var update = handle.createUpdate(sql.toString());
        for (int i = 0; i < args.size(); i++) {
            update.bind(i, args.get(i));
        }
        return update.execute();
    }

    @Override
    public String toString() {
        return sql + " " + args;
    }
}
