package dev.cairn.validation;

import java.util.Locale;

/** The logical type of a column, as a schema records it (DuckDB's types folded into a few families). */
public enum DataType {
    INTEGER,
    FLOAT,
    BOOLEAN,
    STRING,
    DATE,
    TIMESTAMP,
    OTHER;

    /** The family of a DuckDB type name such as {@code BIGINT}, {@code DECIMAL(10,2)} or {@code VARCHAR}. */
    public static DataType ofDuckDb(String typeName) {
        String t = typeName.toUpperCase(Locale.ROOT);
        if (t.matches("(U?(TINY|SMALL|BIG|HUGE)?INT(EGER)?|U?HUGEINT)")) {
            return INTEGER;
        }
        if (t.startsWith("DOUBLE") || t.startsWith("FLOAT") || t.startsWith("REAL") || t.startsWith("DECIMAL")) {
            return FLOAT;
        }
        if (t.equals("BOOLEAN")) {
            return BOOLEAN;
        }
        if (t.equals("VARCHAR") || t.startsWith("ENUM") || t.equals("UUID")) {
            return STRING;
        }
        if (t.equals("DATE")) {
            return DATE;
        }
        if (t.startsWith("TIMESTAMP")) {
            return TIMESTAMP;
        }
        return OTHER;
    }

    /** Whether values are numbers (ranges apply). */
    public boolean isNumeric() {
        return this == INTEGER || this == FLOAT;
    }

    /** Whether a column of type {@code actual} satisfies a schema that expects this type. */
    public boolean accepts(DataType actual) {
        return this == actual || (this == FLOAT && actual == INTEGER);
    }
}
