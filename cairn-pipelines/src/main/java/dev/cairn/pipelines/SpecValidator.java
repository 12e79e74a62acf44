package dev.cairn.pipelines;

import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.parser.CronParser;
import dev.cairn.core.CairnException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * The semantic checks of a pipeline, shared by the YAML reader and the builder: names, references,
 * parameters, output paths, schedule and cycles. Problems carry a spec path such as {@code
 * steps.train.inputs.data}, which the YAML reader turns into a line and column.
 */
final class SpecValidator {
    static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_-]*");
    private static final CronParser CRON = new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.UNIX));

    private final Pipeline pipeline;
    private final List<Problem> problems = new ArrayList<>();

    record Problem(String path, String message) {}

    private SpecValidator(Pipeline pipeline) {
        this.pipeline = pipeline;
    }

    /** Throws one exception listing every problem, each prefixed by {@code locate(path)}. */
    static void check(Pipeline pipeline, Function<String, String> locate) {
        List<Problem> problems = new SpecValidator(pipeline).run();
        if (!problems.isEmpty()) {
            StringBuilder message = new StringBuilder("invalid pipeline '" + pipeline.name() + "':");
            problems.forEach(
                    p -> message.append("\n  ").append(locate.apply(p.path())).append(p.message()));
            throw CairnException.invalid(message.toString());
        }
    }

    /** A cron expression's error, or empty when it is a valid five-field schedule. */
    static Optional<String> cronError(String expression) {
        try {
            CRON.parse(expression).validate();
            return Optional.empty();
        } catch (IllegalArgumentException e) {
            return Optional.of("invalid cron schedule '" + expression + "': " + e.getMessage());
        }
    }

    private List<Problem> run() {
        checkName("name", pipeline.name(), "pipeline name");
        pipeline.params().keySet().forEach(p -> checkName("params." + p, p, "parameter name"));
        pipeline.schedule().flatMap(SpecValidator::cronError).ifPresent(e -> problem("schedule", e));
        if (pipeline.steps().isEmpty()) {
            problem("steps", "a pipeline needs at least one step");
        }
        pipeline.steps().values().forEach(this::checkStep);
        checkOutputPaths();
        if (problems.isEmpty()) {
            findCycle().ifPresent(cycle -> {
                // Found by walking upstream; reversed it reads in the direction data flows.
                Collections.reverse(cycle);
                problem("steps." + cycle.get(0), "cycle between steps: " + String.join(" -> ", cycle));
            });
        }
        return problems;
    }

    private void checkStep(Step step) {
        String at = "steps." + step.name();
        checkName(at, step.name(), "step name");
        if (step.action() instanceof StepAction.Command c
                && (c.argv().isEmpty() || c.argv().get(0).isBlank())) {
            problem(at + ".command", "step '" + step.name() + "' has an empty command");
        }
        step.inputs().forEach((input, ref) -> checkInput(step, input, ref));
        step.outputs().values().forEach(o -> checkOutput(step, o));
        step.after().forEach(a -> {
            if (!pipeline.steps().containsKey(a)) {
                problem(at + ".after", "step '" + step.name() + "' runs after unknown step '" + a + "'");
            }
        });
        step.referencedParams().forEach(p -> {
            if (!pipeline.params().containsKey(p)) {
                problem(
                        at,
                        "step '" + step.name() + "' refers to unknown parameter '" + p + "'; parameters: "
                                + pipeline.params().keySet());
            }
        });
        for (String text : step.templates()) {
            Templates.references(text, "inputs").stream()
                    .filter(i -> !step.inputs().containsKey(i))
                    .forEach(i -> problem(
                            at,
                            "step '" + step.name() + "' refers to unknown input '${inputs." + i + "}'; inputs: "
                                    + step.inputs().keySet()));
            Templates.references(text, "outputs").stream()
                    .filter(o -> !step.outputs().containsKey(o))
                    .forEach(o -> problem(
                            at,
                            "step '" + step.name() + "' refers to unknown output '${outputs." + o + "}'; outputs: "
                                    + step.outputs().keySet()));
        }
        if (step.retries() < 0) {
            problem(at + ".retries", "retries must be >= 0, got " + step.retries());
        }
        step.timeout()
                .filter(t -> t.isZero() || t.isNegative())
                .ifPresent(t -> problem(at + ".timeout", "timeout must be positive, got " + t));
        step.workdir().ifPresent(w -> checkRelative(at + ".workdir", w));
        step.code().forEach(c -> checkRelative(at + ".code", c));
    }

    private void checkInput(Step step, String input, String ref) {
        String at = "steps." + step.name() + ".inputs." + input;
        checkName(at, input, "input name");
        Optional<OutputRef> upstream = OutputRef.parse(ref);
        if (upstream.isPresent()) {
            Step source = pipeline.steps().get(upstream.get().step());
            if (source == null) {
                problem(
                        at,
                        "input '" + input + "' of step '" + step.name() + "' refers to unknown step '"
                                + upstream.get().step() + "'");
            } else if (!source.outputs().containsKey(upstream.get().output())) {
                problem(
                        at,
                        "input '" + input + "' of step '" + step.name() + "' refers to unknown output '"
                                + upstream.get().output() + "' of step '" + source.name() + "'; its outputs: "
                                + source.outputs().keySet());
            }
        } else if (ref.startsWith("steps.")) {
            problem(
                    at,
                    "input '" + input + "' of step '" + step.name() + "': '" + ref
                            + "' is not of the form steps.<step>.outputs.<output>");
        } else if (ref.isBlank()) {
            problem(at, "input '" + input + "' of step '" + step.name() + "' is empty");
        }
    }

    private void checkOutput(Step step, OutputSpec output) {
        String at = "steps." + step.name() + ".outputs." + output.name();
        checkName(at, output.name(), "output name");
        checkRelative(at, output.path());
    }

    private void checkRelative(String at, String path) {
        Path p = Path.of(path).normalize();
        if (path.isBlank() || p.isAbsolute() || p.startsWith("..")) {
            problem(at, "path '" + path + "' must be relative to the project directory and stay inside it");
        }
    }

    private void checkOutputPaths() {
        Map<Path, String> owners = new HashMap<>();
        for (Step step : pipeline.steps().values()) {
            for (OutputSpec output : step.outputs().values()) {
                String owner =
                        owners.putIfAbsent(Path.of(output.path()).normalize(), step.name() + "." + output.name());
                if (owner != null) {
                    problem(
                            "steps." + step.name() + ".outputs." + output.name(),
                            "output path '" + output.path() + "' is also the output " + owner);
                }
            }
        }
    }

    private void checkName(String at, String value, String what) {
        if (!NAME.matcher(value).matches()) {
            problem(at, what + " '" + value + "' must match " + NAME.pattern());
        }
    }

    private Optional<List<String>> findCycle() {
        Map<String, Integer> state = new LinkedHashMap<>();
        for (String start : pipeline.steps().keySet()) {
            List<String> path = new ArrayList<>();
            Optional<List<String>> cycle = visit(start, state, path);
            if (cycle.isPresent()) {
                return cycle;
            }
        }
        return Optional.empty();
    }

    // state: 1 = on the current path, 2 = finished; a step met again while on the path closes a cycle.
    private Optional<List<String>> visit(String stepName, Map<String, Integer> state, List<String> path) {
        Integer s = state.get(stepName);
        if (s != null && s == 2) {
            return Optional.empty();
        }
        if (s != null) {
            List<String> cycle = new ArrayList<>(path.subList(path.indexOf(stepName), path.size()));
            cycle.add(stepName);
            return Optional.of(cycle);
        }
        state.put(stepName, 1);
        path.add(stepName);
        Set<String> upstream = pipeline.steps().get(stepName).upstream();
        for (String next : upstream) {
            Optional<List<String>> cycle = visit(next, state, path);
            if (cycle.isPresent()) {
                return cycle;
            }
        }
        path.remove(path.size() - 1);
        state.put(stepName, 2);
        return Optional.empty();
    }

    private void problem(String path, String message) {
        problems.add(new Problem(path, message));
    }
}
