package dev.cairn.evaluation;

import dev.cairn.core.CairnException;
import java.util.Map;
import java.util.Optional;

/** One row of a holdout table as scorers see it: its values by column name, read through DuckDB. */
public final class HoldoutRow {
    private final long index;
    private final Map<String, Integer> positions;
    private final Object[] values;

    HoldoutRow(long index, Map<String, Integer> positions, Object[] values) {
        this.index = index;
        this.positions = positions;
        this.values = values;
    }

    /** The row's position in the table, from 0. */
    public long index() {
        return index;
    }

    /** The value of {@code column}, empty when it is SQL NULL; fails on a column the table lacks. */
    public Optional<Object> value(String column) {
        Integer i = positions.get(column);
        if (i == null) {
            throw CairnException.invalid("holdout has no column " + column + ", it has " + positions.keySet());
        }
        return Optional.ofNullable(values[i]);
    }

    /** The value of {@code column} as a number: NaN when NULL; fails when it is not numeric. */
    public double number(String column) {
        Object v = value(column).orElse(null);
        if (v == null) {
            return Double.NaN;
        }
        if (v instanceof Number n) {
            return n.doubleValue();
        }
        if (v instanceof Boolean b) {
            return b ? 1 : 0;
        }
        throw CairnException.invalid("column " + column + " is not numeric at row " + index + ": '" + v + "'");
    }

    /** The value of {@code column} as text, empty when NULL. */
    public Optional<String> text(String column) {
        return value(column).map(Object::toString);
    }
}
