package dev.cairn.pipelines;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * One step of a pipeline: what it runs, what it consumes and produces, and how it is run.
 *
 * @param inputs input name to reference: a path relative to the project directory, {@code
 *     steps.<step>.outputs.<output>}, or a reference an {@code InputResolver} understands
 * @param after steps that must finish first although no output of theirs is consumed
 * @param params parameters the step reads besides those its command and env name with {@code ${params.x}}
 * @param code paths whose content is the step's code version; by default the files its command names
 * @param workdir the working directory relative to the project directory; the project directory by default
 * @param retries additional attempts after a failure
 */
public record Step(
        String name,
        StepAction action,
        Map<String, String> inputs,
        Map<String, OutputSpec> outputs,
        List<String> after,
        List<String> params,
        Map<String, String> env,
        List<String> code,
        Optional<String> workdir,
        int retries,
        Optional<Duration> timeout,
        Optional<Condition> when) {
    public Step {
        inputs = Collections.unmodifiableMap(new LinkedHashMap<>(inputs));
        outputs = Collections.unmodifiableMap(new LinkedHashMap<>(outputs));
        after = List.copyOf(after);
        params = List.copyOf(params);
        env = Collections.unmodifiableMap(new LinkedHashMap<>(env));
        code = List.copyOf(code);
    }

    /** The steps this one depends on, through consumed outputs or {@code after}. */
    public Set<String> upstream() {
        Set<String> names = new LinkedHashSet<>();
        inputs.values().forEach(ref -> OutputRef.parse(ref).ifPresent(r -> names.add(r.step())));
        names.addAll(after);
        return names;
    }

    /** Every parameter the step reads: declared, named in its command, env or configuration, or in its condition. */
    public Set<String> referencedParams() {
        Set<String> names = new TreeSet<>(params);
        templates().forEach(text -> names.addAll(Templates.references(text, "params")));
        when.ifPresent(c -> names.addAll(c.referencedParams()));
        return names;
    }

    /**
     * The step in spec form (command or built-in, inputs, outputs, env, ...) with keys in spec
     * order; the definition part of the step's cache key.
     */
    public Map<String, Object> toSpecMap() {
        return SpecWriter.step(this);
    }

    /** The texts in which {@code ${...}} references are substituted. */
    List<String> templates() {
        List<String> texts = new ArrayList<>(env.values());
        if (action instanceof StepAction.Command c) {
            texts.addAll(c.argv());
        } else if (action instanceof StepAction.Uses u) {
            u.with().values().forEach(v -> collectStrings(v, texts));
        }
        return texts;
    }

    private static void collectStrings(Object value, List<String> sink) {
        if (value instanceof String s) {
            sink.add(s);
        } else if (value instanceof Map<?, ?> m) {
            m.values().forEach(v -> collectStrings(v, sink));
        } else if (value instanceof List<?> l) {
            l.forEach(v -> collectStrings(v, sink));
        }
    }
}
