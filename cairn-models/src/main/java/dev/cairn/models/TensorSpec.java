package dev.cairn.models;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.cairn.core.CairnException;
import java.util.List;

/**
 * A named, typed input or output of a model; {@code -1} in the shape marks a dimension of any size
 * (the first one is usually the batch).
 */
public record TensorSpec(
        @JsonProperty("name") String name,
        @JsonProperty("datatype") DataType datatype,
        @JsonProperty("shape") List<Long> shape) {

    public TensorSpec {
        CairnException.requireArgument(name != null && !name.isBlank(), "tensor spec: name must not be empty");
        CairnException.requireArgument(datatype != null, "tensor spec '" + name + "': datatype is required");
        shape = List.copyOf(shape == null ? List.of() : shape);
        for (Long dim : shape) {
            CairnException.requireArgument(
                    dim >= -1, "tensor spec '" + name + "': dimension " + dim + " must be -1 or non-negative");
        }
    }

    public static TensorSpec of(String name, DataType datatype, long... shape) {
        return new TensorSpec(
                name, datatype, java.util.Arrays.stream(shape).boxed().toList());
    }

    /** Whether a tensor of {@code actual} shape has this spec's rank and every fixed dimension. */
    public boolean accepts(long[] actual) {
        if (actual.length != shape.size()) {
            return false;
        }
        for (int i = 0; i < actual.length; i++) {
            long want = shape.get(i);
            if (want != -1 && want != actual[i]) {
                return false;
            }
        }
        return true;
    }

    /** The number of elements per batch row, when every dimension after the first is fixed. */
    public long rowWidth() {
        long width = 1;
        for (int i = 1; i < shape.size(); i++) {
            width *= Math.max(shape.get(i), 1);
        }
        return width;
    }
}
