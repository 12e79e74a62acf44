package dev.cairn.pipelines;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What a step does: run a command in a subprocess, or call a built-in step. */
public sealed interface StepAction {
    /**
     * A subprocess: {@code argv} run directly, or when {@code shell} is true a single script
     * string run by {@code /bin/sh -c}.
     */
    record Command(List<String> argv, boolean shell) implements StepAction {
        public Command {
            argv = List.copyOf(argv);
        }

        public static Command shell(String script) {
            return new Command(List.of(script), true);
        }
    }

    /** A built-in step looked up by name in the {@code BuiltinSteps} registry, with its configuration. */
    record Uses(String builtin, Map<String, Object> with) implements StepAction {
        public Uses {
            with = Collections.unmodifiableMap(new LinkedHashMap<>(with));
        }
    }
}
