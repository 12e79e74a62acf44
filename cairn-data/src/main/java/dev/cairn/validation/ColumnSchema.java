package dev.cairn.validation;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.cairn.core.CairnException;
import java.util.List;
import java.util.Optional;

/**
 * What a column must look like: its type, an optional range of values, an optional domain of allowed
 * values (empty means any), the least fraction of non-null values, and whether values are unique.
 */
@JsonInclude(JsonInclude.Include.NON_ABSENT)
public record ColumnSchema(
        String name,
        DataType type,
        Optional<NumericRange> range,
        List<String> domain,
        double completeness,
        boolean unique) {
    public ColumnSchema {
        CairnException.requireArgument(name != null && !name.isBlank(), "column name must not be blank: " + name);
        CairnException.requireArgument(type != null, "type of column " + name + " must be given");
        CairnException.requireArgument(
                completeness >= 0 && completeness <= 1,
                "completeness of column " + name + " must be in [0, 1]: " + completeness);
        range = range == null ? Optional.empty() : range;
        domain = domain == null ? List.of() : List.copyOf(domain);
    }
}
