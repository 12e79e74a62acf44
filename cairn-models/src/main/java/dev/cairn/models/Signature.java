package dev.cairn.models;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.cairn.core.CairnException;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;

/** The named, typed inputs and outputs of a model. */
public record Signature(
        @JsonProperty("inputs") List<TensorSpec> inputs,
        @JsonProperty("outputs") List<TensorSpec> outputs) {

    public Signature {
        inputs = List.copyOf(inputs == null ? List.of() : inputs);
        outputs = List.copyOf(outputs == null ? List.of() : outputs);
        CairnException.requireArgument(!inputs.isEmpty(), "signature: at least one input is required");
        CairnException.requireArgument(!outputs.isEmpty(), "signature: at least one output is required");
        requireUniqueNames(inputs, "input");
        requireUniqueNames(outputs, "output");
    }

    public Optional<TensorSpec> input(String name) {
        return inputs.stream().filter(spec -> spec.name().equals(name)).findFirst();
    }

    public Optional<TensorSpec> output(String name) {
        return outputs.stream().filter(spec -> spec.name().equals(name)).findFirst();
    }

    /** Whether every input is one column ({@code [-1]}): a table whose columns are the inputs. */
    @com.fasterxml.jackson.annotation.JsonIgnore
    public boolean isColumnar() {
        return inputs.stream().allMatch(spec -> spec.shape().size() == 1);
    }

    private static void requireUniqueNames(List<TensorSpec> specs, String kind) {
        var seen = new HashSet<String>();
        for (TensorSpec spec : specs) {
            CairnException.requireArgument(
                    seen.add(spec.name()), "signature: duplicate " + kind + " '" + spec.name() + "'");
        }
    }
}
