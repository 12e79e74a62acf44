package dev.cairn.pipelines;

import dev.cairn.core.CairnException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A validated pipeline: typed parameters and a DAG of steps, read from a {@code cairn.yaml} with
 * {@link #load(Path)} or built with {@link #builder(String)}; both give the same object.
 *
 * @param projectDir the directory relative to which input, output and working-directory paths resolve
 * @param schedule a cron expression (five fields) on which the scheduler starts the pipeline
 */
public record Pipeline(
        String name,
        Map<String, ParamSpec> params,
        Map<String, Step> steps,
        Optional<String> schedule,
        Triggers triggers,
        Path projectDir) {
    public Pipeline {
        params = Collections.unmodifiableMap(new LinkedHashMap<>(params));
        steps = Collections.unmodifiableMap(new LinkedHashMap<>(steps));
        projectDir = projectDir.toAbsolutePath().normalize();
    }

    /** Reads and validates a spec file; its directory is the project directory. */
    public static Pipeline load(Path specFile) {
        return SpecReader.read(specFile);
    }

    /** Parses and validates spec text; {@code sourceName} prefixes error locations. */
    public static Pipeline parse(String yaml, Path projectDir, String sourceName) {
        return SpecReader.parse(yaml, projectDir, sourceName);
    }

    public static PipelineBuilder builder(String name) {
        return new PipelineBuilder(name);
    }

    /** The spec in its canonical JSON form, which {@link #parse} reads back to an equal pipeline. */
    public String toCanonicalJson() {
        return SpecWriter.toJson(this);
    }

    public Step step(String stepName) {
        Step step = steps.get(stepName);
        if (step == null) {
            throw CairnException.notFound(
                    "pipeline '" + name + "' has no step '" + stepName + "'; steps: " + steps.keySet());
        }
        return step;
    }

    /**
     * The parameter values of one execution: defaults overridden by {@code overrides} (text values as
     * given with {@code -p key=value}). Unknown names, type errors and missing required values fail.
     */
    public Map<String, Object> resolveParams(Map<String, String> overrides) {
        List<String> problems = new ArrayList<>();
        overrides.keySet().stream()
                .filter(key -> !params.containsKey(key))
                .forEach(key -> problems.add(
                        "unknown parameter '" + key + "'; parameters of pipeline '" + name + "': " + params.keySet()));
        Map<String, Object> values = new LinkedHashMap<>();
        for (ParamSpec spec : params.values()) {
            String raw = overrides.get(spec.name());
            try {
                if (raw != null) {
                    values.put(spec.name(), spec.type().parse(spec.name(), raw));
                } else if (spec.defaultValue().isPresent()) {
                    values.put(spec.name(), spec.defaultValue().get());
                } else {
                    problems.add("parameter '" + spec.name() + "' has no default and no value was given (-p "
                            + spec.name() + "=...)");
                }
            } catch (CairnException e) {
                problems.add(e.getMessage());
            }
        }
        if (!problems.isEmpty()) {
            throw CairnException.invalid(String.join("\n", problems));
        }
        return Collections.unmodifiableMap(values);
    }
}
