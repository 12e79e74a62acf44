package dev.cairn.serving;

import dev.cairn.models.Tensor;
import java.util.List;

/** The answer to an {@link InferenceRequest}: the model version that answered and its output tensors. */
public record InferenceResponse(String id, String model, String version, List<Tensor> outputs) {

    public InferenceResponse {
        outputs = List.copyOf(outputs);
    }
}
