package dev.cairn.serving;

import java.time.Instant;

/**
 * A row of the inference log as monitoring reads it; {@code inputs} and {@code outputs} are JSON
 * arrays of Open Inference Protocol tensors ({@code outputs} is {@code {"error": ...}} for a failure).
 */
public record LoggedInference(
        String requestId,
        String deployment,
        String model,
        String version,
        Instant time,
        long latencyMicros,
        String status,
        String inputs,
        String outputs) {}
