package dev.cairn.serving;

import dev.cairn.models.Tensor;
import java.time.Instant;
import java.util.List;

/**
 * One prediction as the inference log keeps it; {@code status} is {@code OK} or the error code of
 * a failed request, whose {@code error} then says why.
 */
public record InferenceRecord(
        String requestId,
        String deployment,
        String model,
        String version,
        Instant time,
        long latencyMicros,
        String status,
        List<Tensor> inputs,
        List<Tensor> outputs,
        String error) {

    public InferenceRecord {
        inputs = List.copyOf(inputs);
        outputs = List.copyOf(outputs);
    }
}
