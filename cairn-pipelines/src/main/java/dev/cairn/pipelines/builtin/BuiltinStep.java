package dev.cairn.pipelines.builtin;

/**
 * A step implemented in Java and named in a spec with {@code uses:}. Implementations are found
 * with {@link java.util.ServiceLoader} or registered on a {@link BuiltinSteps}; they run inside the
 * engine's process, write their declared outputs, and throw to fail.
 */
public interface BuiltinStep {
    /** The name used in {@code uses:}, e.g. {@code validate}. */
    String name();

    /**
     * The version of the implementation: part of the step cache key, so changing what the step
     * computes must change it.
     */
    String version();

    void run(BuiltinContext context) throws Exception;
}
