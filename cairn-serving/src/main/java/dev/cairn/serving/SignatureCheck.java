package dev.cairn.serving;

import dev.cairn.core.CairnException;
import dev.cairn.models.Signature;
import dev.cairn.models.Tensor;
import dev.cairn.models.TensorSpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Checks request inputs against a signature, with 400-class errors naming the input, what it expects and what arrived. */
final class SignatureCheck {
    private SignatureCheck() {}

    /** The inputs in signature order, after checking names, datatypes, shapes and a common batch size. */
    static List<Tensor> inputs(Signature signature, List<Tensor> inputs) {
        for (Tensor tensor : inputs) {
            if (!declared(signature.inputs(), tensor.name())) {
                throw CairnException.invalid("input '" + tensor.name() + "' is not an input of the model; expected "
                        + names(signature.inputs()));
            }
        }
        var ordered = new ArrayList<Tensor>(signature.inputs().size());
        long batch = -1;
        String batchFrom = "";
        for (TensorSpec spec : signature.inputs()) {
            Tensor tensor = find(inputs, spec);
            if (tensor.datatype() != spec.datatype()) {
                throw mismatch(spec, tensor);
            }
            if (!spec.accepts(tensor.shape())) {
                throw mismatch(spec, tensor);
            }
            if (tensor.rank() > 0 && spec.shape().get(0) == -1) {
                if (batch >= 0 && tensor.dim(0) != batch) {
                    throw CairnException.invalid("input '" + spec.name() + "': batch size " + tensor.dim(0)
                            + " differs from input '" + batchFrom + "' with batch size " + batch);
                }
                if (batch < 0) {
                    batch = tensor.dim(0);
                    batchFrom = spec.name();
                }
            }
            ordered.add(tensor);
        }
        return ordered;
    }

    /** Only the outputs named in {@code wanted} (all when empty), or a 400-class error for an unknown name. */
    static List<Tensor> outputs(Signature signature, List<Tensor> outputs, List<String> wanted) {
        if (wanted.isEmpty()) {
            return outputs;
        }
        var selected = new ArrayList<Tensor>(wanted.size());
        for (String name : wanted) {
            if (signature.output(name).isEmpty()) {
                throw CairnException.invalid(
                        "output '" + name + "' is not an output of the model; expected " + names(signature.outputs()));
            }
            outputs.stream().filter(t -> t.name().equals(name)).findFirst().ifPresent(selected::add);
        }
        return selected;
    }

    /** A loop rather than {@link Signature#input}'s stream: this runs for every input of every request. */
    private static boolean declared(List<TensorSpec> specs, String name) {
        for (TensorSpec spec : specs) {
            if (spec.name().equals(name)) {
                return true;
            }
        }
        return false;
    }

    private static Tensor find(List<Tensor> inputs, TensorSpec spec) {
        for (Tensor tensor : inputs) {
            if (tensor.name().equals(spec.name())) {
                return tensor;
            }
        }
        throw CairnException.invalid("input '" + spec.name() + "' is missing; expected " + describe(spec));
    }

    private static CairnException mismatch(TensorSpec spec, Tensor tensor) {
        return CairnException.invalid("input '" + spec.name() + "': expected " + describe(spec) + ", got "
                + tensor.datatype() + " " + Arrays.toString(tensor.shape()));
    }

    static String describe(TensorSpec spec) {
        return spec.datatype() + " " + spec.shape();
    }

    private static List<String> names(List<TensorSpec> specs) {
        return specs.stream().map(TensorSpec::name).toList();
    }
}
