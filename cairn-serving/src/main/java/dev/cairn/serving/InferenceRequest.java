package dev.cairn.serving;

import dev.cairn.core.CairnException;
import dev.cairn.models.Tensor;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * One inference call: the model, its version ({@code ""} for the model's default version), the
 * input tensors and the names of the outputs wanted (empty for all).
 */
public record InferenceRequest(String id, String model, String version, List<Tensor> inputs, List<String> outputs) {

    public InferenceRequest {
        CairnException.requireArgument(model != null && !model.isEmpty(), "model name must not be empty");
        id = id == null || id.isEmpty() ? newId() : id;
        version = version == null ? "" : version;
        inputs = List.copyOf(inputs);
        outputs = List.copyOf(outputs);
    }

    /**
     * A time-ordered (version 7) UUID: the inference log indexes request ids, and ids that grow with
     * time are appended at the end of that index, where random ones would each rewrite a page
     * somewhere in it (several times the cost of the whole row). The random bits come from {@link
     * ThreadLocalRandom}: {@link UUID#randomUUID()}'s shared SecureRandom is a lock every request
     * would take.
     */
    static String newId() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        long high = (System.currentTimeMillis() << 16) | 0x7000L | (random.nextLong() & 0x0FFFL);
        long low = (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        return new UUID(high, low).toString();
    }

    /** A request for every output of the default version of {@code model}, with a new id. */
    public static InferenceRequest of(String model, List<Tensor> inputs) {
        return new InferenceRequest("", model, "", inputs, List.of());
    }

    public InferenceRequest withVersion(String newVersion) {
        return new InferenceRequest(id, model, newVersion, inputs, outputs);
    }
}
