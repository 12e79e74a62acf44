package dev.cairn.validation;

import dev.cairn.core.CairnException;

/** An inclusive range of allowed numeric values. */
public record NumericRange(double min, double max) {
    public NumericRange {
        CairnException.requireArgument(
                !Double.isNaN(min) && !Double.isNaN(max) && min <= max,
                "range min must not exceed max: [" + min + ", " + max + "]");
    }
}
