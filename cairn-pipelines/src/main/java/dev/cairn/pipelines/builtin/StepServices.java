package dev.cairn.pipelines.builtin;

import dev.cairn.core.CairnException;
import dev.cairn.core.ErrorCode;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The long-lived objects of the process that built-in steps may use (the database, the artifact
 * store, the deployments of a server), looked up by type. A step that needs one the engine was not
 * given fails with a message naming it, so {@code register} run outside a server says what is missing.
 */
public final class StepServices {
    private static final StepServices NONE = new StepServices(Map.of());

    private final Map<Class<?>, Object> services;

    private StepServices(Map<Class<?>, Object> services) {
        this.services = Map.copyOf(services);
    }

    public static StepServices none() {
        return NONE;
    }

    /** These services and {@code service} under {@code type} (replacing one already there). */
    public <T> StepServices with(Class<T> type, T service) {
        Map<Class<?>, Object> more = new LinkedHashMap<>(services);
        more.put(type, type.cast(service));
        return new StepServices(more);
    }

    public <T> Optional<T> find(Class<T> type) {
        return Optional.ofNullable(services.get(type)).map(type::cast);
    }

    /** The service of {@code type}; fails naming the step that needs it when the engine has none. */
    public <T> T require(Class<T> type, String stepName) {
        return find(type)
                .orElseThrow(() -> new CairnException(
                        ErrorCode.INVALID_STATE,
                        "built-in step '" + stepName + "' needs a " + type.getSimpleName()
                                + ", which this pipeline engine was not given (run it inside cairn server,"
                                + " or register the service with BuiltinSteps.provide)"));
    }
}
