package dev.cairn.pipelines;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/** Builds a {@link Pipeline} in Java with the same validation as a {@code cairn.yaml}. */
public final class PipelineBuilder {
    private final String name;
    private final Map<String, ParamSpec> params = new LinkedHashMap<>();
    private final Map<String, Step> steps = new LinkedHashMap<>();
    private Optional<String> schedule = Optional.empty();
    private Triggers triggers = Triggers.NONE;
    private Path projectDir = Path.of("");

    PipelineBuilder(String name) {
        this.name = name;
    }

    public PipelineBuilder projectDir(Path dir) {
        this.projectDir = dir;
        return this;
    }

    /** A parameter with a default value; its type is that of the value. */
    public PipelineBuilder param(String paramName, Object defaultValue) {
        return param(paramName, ParamType.of(defaultValue), defaultValue);
    }

    public PipelineBuilder param(String paramName, ParamType type, Object defaultValue) {
        params.put(paramName, new ParamSpec(paramName, type, Optional.of(defaultValue)));
        return this;
    }

    /** A parameter that every execution must set. */
    public PipelineBuilder requiredParam(String paramName, ParamType type) {
        params.put(paramName, new ParamSpec(paramName, type, Optional.empty()));
        return this;
    }

    public PipelineBuilder step(String stepName, Consumer<StepBuilder> definition) {
        StepBuilder builder = new StepBuilder(stepName);
        definition.accept(builder);
        steps.put(stepName, builder.build());
        return this;
    }

    public PipelineBuilder schedule(String cron) {
        this.schedule = Optional.of(cron);
        return this;
    }

    public PipelineBuilder triggers(Triggers triggers) {
        this.triggers = triggers;
        return this;
    }

    /** Validates and returns the pipeline; problems are reported together in one exception. */
    public Pipeline build() {
        Pipeline pipeline = new Pipeline(name, params, steps, schedule, triggers, projectDir);
        SpecValidator.check(pipeline, path -> "");
        return pipeline;
    }
}
