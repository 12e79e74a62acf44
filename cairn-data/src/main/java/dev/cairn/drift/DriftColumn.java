package dev.cairn.drift;

import dev.cairn.core.CairnException;

/** A column that drift is computed on: its name and how it is compared. */
public record DriftColumn(String name, ColumnKind kind) {
    public DriftColumn {
        CairnException.requireArgument(name != null && !name.isBlank(), "column name must not be blank: " + name);
        CairnException.requireArgument(kind != null, "column kind must be given for column " + name);
    }

    public static DriftColumn numeric(String name) {
        return new DriftColumn(name, ColumnKind.NUMERIC);
    }

    public static DriftColumn categorical(String name) {
        return new DriftColumn(name, ColumnKind.CATEGORICAL);
    }
}
