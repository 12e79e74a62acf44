package dev.cairn.drift;

/** How a column is compared: numeric values on a line, or categories counted by value. */
public enum ColumnKind {
    NUMERIC,
    CATEGORICAL
}
