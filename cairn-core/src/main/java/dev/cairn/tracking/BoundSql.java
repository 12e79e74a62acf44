package dev.cairn.tracking;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.Query;

/** SQL text built piece by piece with its positional arguments in the same order. */
final class BoundSql {
    private final StringBuilder sql = new StringBuilder();
    private final List<Object> args = new ArrayList<>();

    BoundSql append(String text, Object... arguments) {
        sql.append(text);
        args.addAll(List.of(arguments));
        return this;
    }

    /** Appends {@code (?, ?, ...)} for the values. */
    BoundSql appendList(Collection<?> values) {
        sql.append('(');
        int i = 0;
        for (Object value : values) {
            sql.append(i++ == 0 ? "?" : ", ?");
            args.add(value);
        }
        sql.append(')');
        return this;
    }

    BoundSql append(BoundSql other) {
        sql.append(other.sql);
        args.addAll(other.args);
        return this;
    }

    boolean isEmpty() {
        return sql.length() == 0;
    }

    Query query(Handle handle) {
        Query query = handle.createQuery(sql.toString());
        for (int i = 0; i < args.size(); i++) {
            query.bind(i, args.get(i));
        }
        return query;
    }

    int update(Handle handle) {
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
