package dev.cairn.serving;

/** Where the engine hands its sampled inference records; it must never block the request path. */
@FunctionalInterface
public interface InferenceSink {

    void accept(InferenceRecord record);

    /** A sink that keeps nothing. */
    static InferenceSink none() {
        return record -> {};
    }
}
