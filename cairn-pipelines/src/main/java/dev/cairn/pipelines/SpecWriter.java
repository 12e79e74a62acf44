package dev.cairn.pipelines;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.LinkedHashMap;
import java.util.Map;

/** Writes a pipeline in the spec's own format as JSON (which is YAML), so that a recorded run can be re-read. */
final class SpecWriter {
    private static final ObjectMapper JSON = new ObjectMapper();

    private SpecWriter() {}

    static String toJson(Pipeline pipeline) {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("name", pipeline.name());
        Map<String, Object> params = new LinkedHashMap<>();
        pipeline.params().values().forEach(p -> {
            Map<String, Object> spec = new LinkedHashMap<>();
            spec.put("type", p.type().yamlName());
            p.defaultValue().ifPresent(v -> spec.put("default", v));
            params.put(p.name(), spec);
        });
        root.put("params", params);
        Map<String, Object> steps = new LinkedHashMap<>();
        pipeline.steps().values().forEach(s -> steps.put(s.name(), step(s)));
        root.put("steps", steps);
        pipeline.schedule().ifPresent(s -> root.put("schedule", s));
        Triggers t = pipeline.triggers();
        root.put("triggers", Map.of("datasets", t.datasets(), "alerts", t.alerts(), "models", t.models()));
        try {
            return JSON.writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A step as a map in spec form; also the step definition part of its cache key. */
    static Map<String, Object> step(Step step) {
        Map<String, Object> out = new LinkedHashMap<>();
        if (step.action() instanceof StepAction.Command c) {
            out.put("command", c.shell() ? c.argv().get(0) : c.argv());
        } else if (step.action() instanceof StepAction.Uses u) {
            out.put("uses", u.builtin());
            out.put("with", u.with());
        }
        out.put("inputs", step.inputs());
        Map<String, Object> outputs = new LinkedHashMap<>();
        step.outputs()
                .values()
                .forEach(o -> outputs.put(
                        o.name(), Map.of("path", o.path(), "type", o.kind() == OutputSpec.Kind.FILE ? "file" : "dir")));
        out.put("outputs", outputs);
        out.put("after", step.after());
        out.put("params", step.params());
        out.put("env", step.env());
        out.put("code", step.code());
        step.workdir().ifPresent(w -> out.put("workdir", w));
        out.put("retries", step.retries());
        step.timeout().ifPresent(t -> out.put("timeout", t.toMillis() + "ms"));
        step.when().ifPresent(w -> out.put("when", w.expression()));
        return out;
    }
}
