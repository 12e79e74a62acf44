package dev.cairn.pipelines.builtin;

import dev.cairn.core.CairnException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Typed reads of a built-in step's {@code with:} configuration; every error names the step, the
 * key and the bad value, and unknown keys are refused so that a typo is not silently ignored.
 */
public final class StepConfig {
    private final String step;
    private final Map<String, Object> with;

    private StepConfig(String step, Map<String, Object> with) {
        this.step = step;
        this.with = with;
    }

    /** The configuration of {@code context}; fails on keys outside {@code allowed}. */
    public static StepConfig of(BuiltinContext context, Set<String> allowed) {
        for (String key : context.with().keySet()) {
            if (!allowed.contains(key)) {
                throw CairnException.invalid("step '" + context.stepName() + "': unknown key with." + key
                        + "; known keys: " + new TreeSet<>(allowed));
            }
        }
        return new StepConfig(context.stepName(), context.with());
    }

    public boolean has(String key) {
        return with.containsKey(key) && with.get(key) != null;
    }

    public String string(String key) {
        return optionalString(key).orElseThrow(() -> bad(key, "is required"));
    }

    public String string(String key, String fallback) {
        return optionalString(key).orElse(fallback);
    }

    public Optional<String> optionalString(String key) {
        Object v = with.get(key);
        if (v == null) {
            return Optional.empty();
        }
        if (v instanceof Map<?, ?> || v instanceof List<?>) {
            throw bad(key, "must be a text value; got " + v);
        }
        String s = String.valueOf(v).strip();
        if (s.isEmpty()) {
            throw bad(key, "must not be empty");
        }
        return Optional.of(s);
    }

    public boolean bool(String key, boolean fallback) {
        Object v = with.get(key);
        if (v == null) {
            return fallback;
        }
        if (v instanceof Boolean b) {
            return b;
        }
        String s = String.valueOf(v).strip();
        if (s.equals("true") || s.equals("false")) {
            return Boolean.parseBoolean(s);
        }
        throw bad(key, "must be true or false; got '" + v + "'");
    }

    public double number(String key, double fallback) {
        Object v = with.get(key);
        if (v == null) {
            return fallback;
        }
        if (v instanceof Number n) {
            return n.doubleValue();
        }
        try {
            return Double.parseDouble(String.valueOf(v).strip());
        } catch (NumberFormatException e) {
            throw bad(key, "must be a number; got '" + v + "'");
        }
    }

    public long integer(String key, long fallback) {
        double d = number(key, fallback);
        if (d != Math.rint(d) || Double.isInfinite(d)) {
            throw bad(key, "must be a whole number; got '" + with.get(key) + "'");
        }
        return (long) d;
    }

    public boolean isMap(String key) {
        return with.get(key) instanceof Map<?, ?>;
    }

    /** A mapping of names to values (for example hyper-parameters); empty when absent. */
    public Map<String, Object> map(String key) {
        Object v = with.get(key);
        if (v == null) {
            return Map.of();
        }
        if (!(v instanceof Map<?, ?> m)) {
            throw bad(key, "must be a mapping; got " + v);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        m.forEach((k, val) -> out.put(String.valueOf(k), val));
        return out;
    }

    /** A list of text values; a single value counts as a list of one; empty when absent. */
    public List<String> strings(String key) {
        Object v = with.get(key);
        if (v == null) {
            return List.of();
        }
        List<String> out = new ArrayList<>();
        if (v instanceof List<?> l) {
            for (Object item : l) {
                if (item == null || item instanceof Map<?, ?> || item instanceof List<?>) {
                    throw bad(key, "must be a list of names; got " + v);
                }
                out.add(String.valueOf(item).strip());
            }
        } else if (v instanceof Map<?, ?>) {
            throw bad(key, "must be a list of names; got " + v);
        } else {
            out.add(String.valueOf(v).strip());
        }
        return out;
    }

    /** The path of input {@code name} (named by {@code with.<key>}, else {@code fallback}); fails when the step lacks it. */
    public Path input(BuiltinContext context, String key, String fallback) {
        String name = string(key, fallback);
        Path path = context.inputs().get(name);
        if (path == null) {
            throw bad(
                    key,
                    "names input '" + name + "', which the step does not declare; its inputs: "
                            + context.inputs().keySet());
        }
        return path;
    }

    /** The path of output {@code name} (named by {@code with.<key>}, else {@code fallback}); fails when the step lacks it. */
    public Path output(BuiltinContext context, String key, String fallback) {
        String name = string(key, fallback);
        Path path = context.outputs().get(name);
        if (path == null) {
            throw bad(
                    key,
                    "names output '" + name + "', which the step does not declare; its outputs: "
                            + context.outputs().keySet());
        }
        return path;
    }

    /** The path of an optional input: empty when {@code with.<key>} is absent and the step has no input {@code fallback}. */
    public Optional<Path> optionalInput(BuiltinContext context, String key, String fallback) {
        if (!has(key) && !context.inputs().containsKey(fallback)) {
            return Optional.empty();
        }
        return Optional.of(input(context, key, fallback));
    }

    /** An error naming the step and {@code with.<key>}. */
    public CairnException bad(String key, String problem) {
        return CairnException.invalid("step '" + step + "': with." + key + " " + problem);
    }
}
