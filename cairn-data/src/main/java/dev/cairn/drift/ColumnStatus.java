package dev.cairn.drift;

/** Whether a column could be compared, and if not, why. */
public enum ColumnStatus {
    /** Both sides had valid values; the test ran. */
    TESTED,
    /** The reference had no valid value (empty, all null, or all NaN/infinite): score NaN, no drift. */
    EMPTY_REFERENCE,
    /** The current window had no valid value: score NaN, no drift. */
    EMPTY_CURRENT,
    /** The column exists in the reference only. */
    MISSING_IN_CURRENT,
    /** The column exists in the current window only. */
    MISSING_IN_REFERENCE,
    /** The column is numeric on one side and categorical on the other. */
    KIND_MISMATCH,
    /** The column's type (date, time, nested) is neither numeric nor categorical; not compared. */
    UNSUPPORTED_TYPE,
    /** A column asked for that neither side has. */
    UNKNOWN_COLUMN
}
