package dev.cairn.drift;

/** A column that could not be compared because the two sides disagree on it. */
public record SchemaIssue(String column, ColumnStatus status, String detail) {}
