package dev.cairn.pipelines;

import dev.cairn.core.CairnException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Defines one step for a {@link PipelineBuilder}. */
public final class StepBuilder {
    private final String name;
    private StepAction action;
    private final Map<String, String> inputs = new LinkedHashMap<>();
    private final Map<String, OutputSpec> outputs = new LinkedHashMap<>();
    private final List<String> after = new ArrayList<>();
    private final List<String> params = new ArrayList<>();
    private final Map<String, String> env = new LinkedHashMap<>();
    private final List<String> code = new ArrayList<>();
    private Optional<String> workdir = Optional.empty();
    private int retries;
    private Optional<Duration> timeout = Optional.empty();
    private Optional<Condition> when = Optional.empty();

    StepBuilder(String name) {
        this.name = name;
    }

    /** Runs {@code argv} directly (no shell). */
    public StepBuilder command(String... argv) {
        this.action = new StepAction.Command(List.of(argv), false);
        return this;
    }

    /** Runs {@code script} with {@code /bin/sh -c}. */
    public StepBuilder shell(String script) {
        this.action = StepAction.Command.shell(script);
        return this;
    }

    public StepBuilder uses(String builtin, Map<String, Object> with) {
        this.action = new StepAction.Uses(builtin, with);
        return this;
    }

    /** An input: a project-relative path, {@code steps.<step>.outputs.<output>}, or a resolver reference. */
    public StepBuilder input(String inputName, String reference) {
        inputs.put(inputName, reference);
        return this;
    }

    public StepBuilder output(String outputName, String path) {
        outputs.put(outputName, new OutputSpec(outputName, path, OutputSpec.Kind.FILE));
        return this;
    }

    public StepBuilder outputDir(String outputName, String path) {
        outputs.put(outputName, new OutputSpec(outputName, path, OutputSpec.Kind.DIRECTORY));
        return this;
    }

    public StepBuilder after(String... steps) {
        after.addAll(List.of(steps));
        return this;
    }

    public StepBuilder params(String... names) {
        params.addAll(List.of(names));
        return this;
    }

    public StepBuilder env(String key, String value) {
        env.put(key, value);
        return this;
    }

    public StepBuilder code(String... paths) {
        code.addAll(List.of(paths));
        return this;
    }

    public StepBuilder workdir(String dir) {
        this.workdir = Optional.of(dir);
        return this;
    }

    public StepBuilder retries(int count) {
        this.retries = count;
        return this;
    }

    public StepBuilder timeout(Duration limit) {
        this.timeout = Optional.of(limit);
        return this;
    }

    public StepBuilder when(String condition) {
        this.when = Optional.of(Condition.parse(condition));
        return this;
    }

    Step build() {
        if (action == null) {
            throw CairnException.invalid("step '" + name + "' needs a command or uses");
        }
        return new Step(name, action, inputs, outputs, after, params, env, code, workdir, retries, timeout, when);
    }
}
