package dev.cairn.pipelines.builtin;

import dev.cairn.core.CairnException;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/** The registry of built-in steps by name. */
public final class BuiltinSteps {
    private final Map<String, BuiltinStep> steps = new ConcurrentHashMap<>();
    private volatile StepServices services = StepServices.none();

    private BuiltinSteps() {}

    /** An empty registry. */
    public static BuiltinSteps empty() {
        return new BuiltinSteps();
    }

    /** The built-in steps on the class path, declared as {@code META-INF/services/dev.cairn.pipelines.builtin.BuiltinStep}. */
    public static BuiltinSteps discovered() {
        BuiltinSteps registry = new BuiltinSteps();
        ServiceLoader.load(BuiltinStep.class).forEach(registry::register);
        return registry;
    }

    /** Adds a step; a second step with the same name is an error. */
    public BuiltinSteps register(BuiltinStep step) {
        BuiltinStep previous = steps.putIfAbsent(step.name(), step);
        if (previous != null && previous != step) {
            throw CairnException.alreadyExists("built-in step '" + step.name() + "' is registered twice: "
                    + previous.getClass().getName() + " and " + step.getClass().getName());
        }
        return this;
    }

    /** Makes {@code value} available to the steps of this registry as {@link BuiltinContext#services()}. */
    public BuiltinSteps provide(StepServices value) {
        this.services = value;
        return this;
    }

    /** The services the steps of this registry run with. */
    public StepServices services() {
        return services;
    }

    public Optional<BuiltinStep> find(String name) {
        return Optional.ofNullable(steps.get(name));
    }

    /** The step named {@code name}; an unknown name fails with the known ones listed. */
    public BuiltinStep require(String name) {
        return find(name)
                .orElseThrow(() -> CairnException.invalid(
                        "unknown built-in step '" + name + "'; known: " + new TreeMap<>(steps).keySet()));
    }
}
