package dev.cairn.drift;

/**
 * How many values of a column a window saw, by kind: valid values (the only ones tests use), nulls,
 * NaN and infinities (numeric columns only; counted and excluded).
 */
public record ValueCounts(long valid, long nulls, long nan, long positiveInfinity, long negativeInfinity) {
    /** All values seen, valid or not. */
    public long total() {
        return valid + nulls + nan + positiveInfinity + negativeInfinity;
    }

    ValueCounts plus(ValueCounts o) {
        return new ValueCounts(
                valid + o.valid,
                nulls + o.nulls,
                nan + o.nan,
                positiveInfinity + o.positiveInfinity,
                negativeInfinity + o.negativeInfinity);
    }
}
