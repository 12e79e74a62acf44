package dev.cairn.drift;

import dev.cairn.core.CairnException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A window of rows summarized column by column as they stream in, without keeping the rows: exact
 * category counts, and for numeric columns exact values up to {@link #DEFAULT_EXACT_LIMIT} then counts
 * in the reference profile's fixed bins. Windows opened from the same profile merge (for example hourly
 * windows into a day). Not thread-safe for one column; distinct columns share no state, so they may
 * be fed from different threads when the caller orders the hand-off (for example with
 * {@code Future.get()}) before comparing.
 */
public final class Window {
    /** Numeric columns keep exact values up to this many, the size up to which SciPy's KS test is exact. */
    public static final int DEFAULT_EXACT_LIMIT = DriftStatistics.KS_MAX_EXACT_N;

    private final List<DriftColumn> columns;
    private final Map<String, Integer> index = new LinkedHashMap<>();
    private final Object[] accumulators;

    Window(List<DriftColumn> columns, int exactLimit, Map<String, BinLayout> layouts) {
        this.columns = List.copyOf(columns);
        this.accumulators = new Object[columns.size()];
        for (int i = 0; i < columns.size(); i++) {
            DriftColumn c = columns.get(i);
            CairnException.requireArgument(index.put(c.name(), i) == null, "duplicate column: " + c.name());
            accumulators[i] = c.kind() == ColumnKind.NUMERIC
                    ? new NumericAccumulator(exactLimit, layouts.get(c.name()))
                    : new CategoricalAccumulator();
        }
    }

    /** An empty window for building a reference profile over these columns. */
    public static Window forReference(List<DriftColumn> columns) {
        return new Window(columns, DEFAULT_EXACT_LIMIT, Map.of());
    }

    public List<DriftColumn> columns() {
        return columns;
    }

    /** The position of a column, for the fast {@code accept} methods. */
    public Optional<Integer> indexOf(String column) {
        return Optional.ofNullable(index.get(column));
    }

    /** Adds a numeric value (NaN and infinities are counted and excluded) to column {@code column}. */
    public void acceptNumber(int column, double value) {
        if (accumulators[column] instanceof NumericAccumulator n) {
            n.accept(value);
        } else {
            ((CategoricalAccumulator) accumulators[column]).accept(categoryOf(value));
        }
    }

    /** Adds many numeric values to one column. */
    public void acceptNumbers(int column, double[] values, int from, int to) {
        if (accumulators[column] instanceof NumericAccumulator n) {
            for (int i = from; i < to; i++) {
                n.accept(values[i]);
            }
        } else {
            for (int i = from; i < to; i++) {
                acceptNumber(column, values[i]);
            }
        }
    }

    /** Adds a category to column {@code column}; on a numeric column a parseable number counts as that number. */
    public void acceptCategory(int column, String value) {
        if (accumulators[column] instanceof CategoricalAccumulator c) {
            c.accept(value);
            return;
        }
        NumericAccumulator n = (NumericAccumulator) accumulators[column];
        try {
            n.accept(Double.parseDouble(value.trim()));
        } catch (NumberFormatException e) {
            // A value that is not a number where a number is expected is missing data, not a crash.
            n.acceptNull();
        }
    }

    /** Records a missing value (SQL NULL) in column {@code column}. */
    public void acceptNull(int column) {
        if (accumulators[column] instanceof NumericAccumulator n) {
            n.acceptNull();
        } else {
            ((CategoricalAccumulator) accumulators[column]).acceptNull();
        }
    }

    /**
     * Adds one row, values in column order: {@code null} is a missing value, a {@link Number} a number,
     * anything else a category (its {@code toString()}). Extra values are ignored; missing ones are nulls.
     */
    public void acceptRow(Object... row) {
        for (int i = 0; i < accumulators.length; i++) {
            Object v = i < row.length ? row[i] : null;
            if (v == null) {
                acceptNull(i);
            } else if (v instanceof Number number) {
                acceptNumber(i, number.doubleValue());
            } else {
                acceptCategory(i, v.toString());
            }
        }
    }

    /** Adds all of another window's rows to this one; both must come from the same profile and columns. */
    public void merge(Window other) {
        CairnException.requireArgument(
                columns.equals(other.columns), "windows with different columns cannot be merged: " + other.columns);
        for (int i = 0; i < accumulators.length; i++) {
            if (accumulators[i] instanceof NumericAccumulator n) {
                n.merge((NumericAccumulator) other.accumulators[i]);
            } else {
                ((CategoricalAccumulator) accumulators[i]).merge((CategoricalAccumulator) other.accumulators[i]);
            }
        }
    }

    /** How many values of a column were seen, by kind. */
    public Optional<ValueCounts> counts(String column) {
        return indexOf(column)
                .map(i -> accumulators[i] instanceof NumericAccumulator n
                        ? n.counts()
                        : ((CategoricalAccumulator) accumulators[i]).counts());
    }

    /** Whether a numeric column still holds its exact values (false once it has switched to bins). */
    public boolean isExact(String column) {
        return indexOf(column)
                .map(i -> !(accumulators[i] instanceof NumericAccumulator n) || n.isExact())
                .orElse(true);
    }

    Object accumulator(int i) {
        return accumulators[i];
    }

    Map<String, BinLayout> freezeLayouts() {
        Map<String, BinLayout> layouts = new LinkedHashMap<>();
        for (int i = 0; i < accumulators.length; i++) {
            if (accumulators[i] instanceof NumericAccumulator n) {
                layouts.put(columns.get(i).name(), n.freezeLayout());
            }
        }
        return Collections.unmodifiableMap(layouts);
    }

    private static String categoryOf(double value) {
        if (value == Math.rint(value) && Math.abs(value) < 1e15) {
            return Long.toString((long) value);
        }
        return Double.toString(value);
    }
}
