package dev.cairn.validation;

/** A column of a table file: its name, DuckDB type name and logical type. */
public record TableColumn(String name, String duckDbType, DataType type) {}
