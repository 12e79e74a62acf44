package dev.cairn.pipelines;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.cairn.core.CairnException;
import dev.cairn.pipelines.YamlNode.Entry;
import dev.cairn.pipelines.YamlNode.ListNode;
import dev.cairn.pipelines.YamlNode.Location;
import dev.cairn.pipelines.YamlNode.MapNode;
import dev.cairn.pipelines.YamlNode.Scalar;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/** Reads a {@code cairn.yaml} into a {@link Pipeline}, reporting every problem with its line and column. */
final class SpecReader {
    private static final YAMLFactory YAML = YAMLFactory.builder().build();
    private static final Set<String> PIPELINE_KEYS =
            new TreeSet<>(List.of("description", "name", "params", "schedule", "steps", "triggers"));
    private static final Set<String> STEP_KEYS = new TreeSet<>(List.of(
            "after",
            "code",
            "command",
            "description",
            "env",
            "inputs",
            "outputs",
            "params",
            "retries",
            "timeout",
            "uses",
            "when",
            "with",
            "workdir"));
    private static final Set<String> PARAM_KEYS = new TreeSet<>(List.of("default", "description", "type"));
    private static final Set<String> OUTPUT_KEYS = new TreeSet<>(List.of("path", "type"));
    private static final Set<String> TRIGGER_KEYS = new TreeSet<>(List.of("alerts", "datasets", "models"));

    private final String source;
    private final Map<String, Location> locations = new HashMap<>();
    private final List<String> problems = new ArrayList<>();

    private SpecReader(String source) {
        this.source = source;
    }

    static Pipeline read(Path specFile) {
        try {
            String text = Files.readString(specFile);
            Path dir = specFile.toAbsolutePath().getParent();
            return parse(text, dir, specFile.toString());
        } catch (NoSuchFileException e) {
            throw CairnException.notFound("pipeline spec " + specFile + " does not exist");
        } catch (IOException e) {
            throw CairnException.invalid("cannot read pipeline spec " + specFile + ": " + e.getMessage());
        }
    }

    static Pipeline parse(String yaml, Path projectDir, String source) {
        return new SpecReader(source).toPipeline(tree(yaml, source), projectDir);
    }

    private static YamlNode tree(String yaml, String source) {
        try (JsonParser parser = YAML.createParser(yaml)) {
            if (parser.nextToken() == null) {
                throw CairnException.invalid(source + ": the pipeline spec is empty");
            }
            return YamlNode.read(parser);
        } catch (YamlNode.DuplicateKeyException e) {
            throw CairnException.invalid(source + ":" + e.location + ": " + e.getMessage());
        } catch (JsonProcessingException e) {
            String where = e.getLocation() == null ? "" : ":" + Location.of(e.getLocation());
            String reason = e.getOriginalMessage().lines().findFirst().orElse("invalid YAML");
            throw CairnException.invalid(source + where + ": invalid YAML: " + reason);
        } catch (IOException e) {
            throw CairnException.invalid(source + ": invalid YAML: " + e.getMessage());
        }
    }

    private Pipeline toPipeline(YamlNode root, Path projectDir) {
        MapNode top = map(root, "", "the pipeline spec");
        if (top == null) {
            throw failure();
        }
        knownKeys(top, "", PIPELINE_KEYS, "the pipeline");
        String name = requiredString(top, "name", "");
        Map<String, ParamSpec> params = params(top);
        Map<String, Step> steps = steps(top);
        Optional<String> schedule = optionalString(top, "schedule", "schedule");
        schedule.flatMap(SpecValidator::cronError).ifPresent(e -> problem("schedule", e));
        Triggers triggers = triggers(top);
        if (!problems.isEmpty()) {
            throw failure();
        }
        Pipeline pipeline = new Pipeline(name, params, steps, schedule, triggers, projectDir);
        SpecValidator.check(pipeline, this::locate);
        return pipeline;
    }

    private Map<String, ParamSpec> params(MapNode top) {
        Map<String, ParamSpec> params = new LinkedHashMap<>();
        MapNode node = optionalMap(top, "params", "params");
        if (node == null) {
            return params;
        }
        node.entries().forEach((name, entry) -> {
            String at = "params." + name;
            locations.put(at, entry.keyLocation());
            param(name, entry.value(), at).ifPresent(p -> params.put(name, p));
        });
        return params;
    }

    private Optional<ParamSpec> param(String name, YamlNode node, String at) {
        if (node instanceof Scalar s && !s.isNull()) {
            return Optional.of(new ParamSpec(name, ParamType.of(s.value()), Optional.of(s.value())));
        }
        MapNode spec = map(node, at, "parameter '" + name + "'");
        if (spec == null) {
            return Optional.empty();
        }
        knownKeys(spec, at, PARAM_KEYS, "parameter '" + name + "'");
        Optional<String> typeName = optionalString(spec, "type", at + ".type");
        Optional<Object> defaultValue = Optional.ofNullable(spec.entries().get("default"))
                .map(Entry::value)
                .flatMap(v -> scalarValue(v, at + ".default"));
        Optional<ParamType> type =
                typeName.isPresent() ? typeName.flatMap(ParamType::byName) : defaultValue.map(ParamType::of);
        if (type.isEmpty()) {
            problem(
                    at,
                    typeName.isPresent()
                            ? "parameter '" + name + "' has unknown type '" + typeName.get()
                                    + "'; types: string, int, float, bool"
                            : "parameter '" + name + "' needs a type or a default");
            return Optional.empty();
        }
        try {
            return Optional.of(new ParamSpec(name, type.get(), defaultValue));
        } catch (CairnException e) {
            problem(at + ".default", e.getMessage());
            return Optional.empty();
        }
    }

    private Map<String, Step> steps(MapNode top) {
        Map<String, Step> steps = new LinkedHashMap<>();
        Entry entry = top.entries().get("steps");
        if (entry == null) {
            problem("", "missing key 'steps'");
            return steps;
        }
        MapNode node = map(entry.value(), "steps", "steps (a map from step name to step)");
        if (node == null) {
            return steps;
        }
        node.entries().forEach((name, e) -> {
            String at = "steps." + name;
            locations.put(at, e.keyLocation());
            MapNode stepNode = map(e.value(), at, "step '" + name + "'");
            if (stepNode != null) {
                step(name, stepNode, at).ifPresent(s -> steps.put(name, s));
            }
        });
        return steps;
    }

    private Optional<Step> step(String name, MapNode node, String at) {
        knownKeys(node, at, STEP_KEYS, "step '" + name + "'");
        Optional<StepAction> action = action(name, node, at);
        Map<String, String> inputs = stringMap(node, "inputs", at + ".inputs");
        Map<String, OutputSpec> outputs = outputs(node, at + ".outputs");
        List<String> after = stringList(node, "after", at + ".after");
        List<String> params = stringList(node, "params", at + ".params");
        Map<String, String> env = stringMap(node, "env", at + ".env");
        List<String> code = stringList(node, "code", at + ".code");
        Optional<String> workdir = optionalString(node, "workdir", at + ".workdir");
        int retries = optionalInt(node, "retries", at + ".retries").orElse(0);
        Optional<Duration> timeout = timeout(node, at + ".timeout");
        Optional<Condition> when = condition(node, at + ".when");
        if (action.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new Step(
                name, action.get(), inputs, outputs, after, params, env, code, workdir, retries, timeout, when));
    }

    private Optional<StepAction> action(String name, MapNode node, String at) {
        Entry command = node.entries().get("command");
        Entry uses = node.entries().get("uses");
        if ((command == null) == (uses == null)) {
            problem(at, "step '" + name + "' needs exactly one of 'command' or 'uses'");
            return Optional.empty();
        }
        if (uses != null) {
            Optional<String> builtin = optionalString(node, "uses", at + ".uses");
            Map<String, Object> with = new LinkedHashMap<>();
            MapNode withNode = optionalMap(node, "with", at + ".with");
            if (withNode != null) {
                withNode.entries().forEach((k, v) -> with.put(k, plain(v.value())));
            }
            return builtin.map(b -> new StepAction.Uses(b, with));
        }
        node.entries().keySet().stream()
                .filter("with"::equals)
                .findAny()
                .ifPresent(k -> problem(
                        at + ".with",
                        "step '" + name + "': 'with' configures a built-in step ('uses'), not a command"));
        locations.put(at + ".command", command.keyLocation());
        if (command.value() instanceof Scalar s && s.value() instanceof String script) {
            return Optional.of(StepAction.Command.shell(script));
        }
        List<String> argv = stringList(node, "command", at + ".command");
        return argv.isEmpty() ? Optional.empty() : Optional.of(new StepAction.Command(argv, false));
    }

    private Map<String, OutputSpec> outputs(MapNode step, String at) {
        Map<String, OutputSpec> outputs = new LinkedHashMap<>();
        MapNode node = optionalMap(step, "outputs", at);
        if (node == null) {
            return outputs;
        }
        node.entries().forEach((name, entry) -> {
            String outAt = at + "." + name;
            locations.put(outAt, entry.keyLocation());
            output(name, entry.value(), outAt).ifPresent(o -> outputs.put(name, o));
        });
        return outputs;
    }

    private Optional<OutputSpec> output(String name, YamlNode node, String at) {
        if (node instanceof Scalar s && s.value() instanceof String path) {
            OutputSpec.Kind kind = path.endsWith("/") ? OutputSpec.Kind.DIRECTORY : OutputSpec.Kind.FILE;
            return Optional.of(new OutputSpec(name, stripSlash(path), kind));
        }
        MapNode spec = map(node, at, "output '" + name + "' (a path, or a map with path and type)");
        if (spec == null) {
            return Optional.empty();
        }
        knownKeys(spec, at, OUTPUT_KEYS, "output '" + name + "'");
        Optional<String> path = Optional.of(requiredString(spec, "path", at));
        String type = optionalString(spec, "type", at + ".type").orElse("file");
        Optional<OutputSpec.Kind> kind =
                switch (type) {
                    case "file" -> Optional.of(OutputSpec.Kind.FILE);
                    case "dir", "directory" -> Optional.of(OutputSpec.Kind.DIRECTORY);
                    default -> {
                        problem(
                                at + ".type",
                                "output '" + name + "' has unknown type '" + type + "'; types: file, dir");
                        yield Optional.empty();
                    }
                };
        return kind.flatMap(k -> path.filter(p -> !p.isEmpty()).map(p -> new OutputSpec(name, stripSlash(p), k)));
    }

    private Triggers triggers(MapNode top) {
        MapNode node = optionalMap(top, "triggers", "triggers");
        if (node == null) {
            return Triggers.NONE;
        }
        knownKeys(node, "triggers", TRIGGER_KEYS, "triggers");
        return new Triggers(
                stringList(node, "datasets", "triggers.datasets"),
                stringList(node, "alerts", "triggers.alerts"),
                stringList(node, "models", "triggers.models"));
    }

    private Optional<Duration> timeout(MapNode node, String at) {
        Entry entry = node.entries().get("timeout");
        if (entry == null) {
            return Optional.empty();
        }
        locations.put(at, entry.value().location());
        if (entry.value() instanceof Scalar s && s.value() instanceof Long seconds) {
            return Optional.of(Duration.ofSeconds(seconds));
        }
        if (entry.value() instanceof Scalar s && s.value() instanceof String text) {
            Optional<Duration> parsed = Durations.parse(text);
            if (parsed.isEmpty()) {
                problem(at, "timeout '" + text + "' is not a duration such as 30s, 5m, 1h30m or 250ms");
            }
            return parsed;
        }
        problem(at, "timeout must be a duration such as 30s, 5m or 1h, or a number of seconds");
        return Optional.empty();
    }

    private Optional<Condition> condition(MapNode node, String at) {
        Entry entry = node.entries().get("when");
        if (entry == null) {
            return Optional.empty();
        }
        locations.put(at, entry.value().location());
        Object value = entry.value() instanceof Scalar s ? s.value() : null;
        if (!(value instanceof String || value instanceof Boolean)) {
            problem(at, "'when' must be a condition such as params.retrain == true");
            return Optional.empty();
        }
        try {
            return Optional.of(Condition.parse(String.valueOf(value)));
        } catch (CairnException e) {
            problem(at, e.getMessage());
            return Optional.empty();
        }
    }

    // --- typed accessors that record locations and problems ---

    private MapNode map(YamlNode node, String at, String what) {
        locations.putIfAbsent(at, node.location());
        if (node instanceof MapNode m) {
            return m;
        }
        problem(at, what + " must be a map");
        return null;
    }

    private MapNode optionalMap(MapNode parent, String key, String at) {
        Entry entry = parent.entries().get(key);
        if (entry == null || entry.value() instanceof Scalar s && s.isNull()) {
            return null;
        }
        locations.put(at, entry.keyLocation());
        return map(entry.value(), at, "'" + key + "'");
    }

    private void knownKeys(MapNode node, String at, Set<String> known, String what) {
        node.entries().forEach((key, entry) -> {
            if (!known.contains(key)) {
                String keyAt = at.isEmpty() ? key : at + "." + key;
                locations.put(keyAt, entry.keyLocation());
                problem(keyAt, "unknown key '" + key + "' in " + what + "; known keys: " + String.join(", ", known));
            }
        });
    }

    private String requiredString(MapNode node, String key, String at) {
        Optional<String> value = optionalString(node, key, at.isEmpty() ? key : at + "." + key);
        if (value.isEmpty() && !node.entries().containsKey(key)) {
            problem(at, "missing key '" + key + "'");
        }
        return value.orElse("");
    }

    private Optional<String> optionalString(MapNode node, String key, String at) {
        Entry entry = node.entries().get(key);
        if (entry == null) {
            return Optional.empty();
        }
        locations.put(at, entry.value().location());
        if (entry.value() instanceof Scalar s && !s.isNull() && !(s.value() instanceof Boolean)) {
            return Optional.of(String.valueOf(s.value()));
        }
        problem(at, "'" + key + "' must be a string");
        return Optional.empty();
    }

    private Optional<Integer> optionalInt(MapNode node, String key, String at) {
        Entry entry = node.entries().get(key);
        if (entry == null) {
            return Optional.empty();
        }
        locations.put(at, entry.value().location());
        if (entry.value() instanceof Scalar s && s.value() instanceof Long n && n <= Integer.MAX_VALUE) {
            return Optional.of(n.intValue());
        }
        problem(at, "'" + key + "' must be an integer, got " + describe(entry.value()));
        return Optional.empty();
    }

    private List<String> stringList(MapNode node, String key, String at) {
        Entry entry = node.entries().get(key);
        List<String> values = new ArrayList<>();
        if (entry == null) {
            return values;
        }
        locations.put(at, entry.value().location());
        if (entry.value() instanceof Scalar s && s.value() instanceof String one) {
            values.add(one);
        } else if (entry.value() instanceof ListNode list) {
            for (YamlNode item : list.items()) {
                if (item instanceof Scalar s && !s.isNull() && !(s.value() instanceof Boolean)) {
                    values.add(String.valueOf(s.value()));
                } else {
                    locations.putIfAbsent(at + "[]", item.location());
                    problem(at + "[]", "'" + key + "' must be a list of strings, got " + describe(item));
                }
            }
        } else {
            problem(at, "'" + key + "' must be a list of strings");
        }
        return values;
    }

    private Map<String, String> stringMap(MapNode node, String key, String at) {
        Map<String, String> values = new LinkedHashMap<>();
        MapNode map = optionalMap(node, key, at);
        if (map == null) {
            return values;
        }
        map.entries().forEach((k, entry) -> {
            locations.put(at + "." + k, entry.value().location());
            if (entry.value() instanceof Scalar s && !s.isNull()) {
                values.put(k, String.valueOf(s.value()));
            } else {
                problem(at + "." + k, "'" + key + "." + k + "' must be a string, got " + describe(entry.value()));
            }
        });
        return values;
    }

    private Optional<Object> scalarValue(YamlNode node, String at) {
        locations.put(at, node.location());
        if (node instanceof Scalar s && !s.isNull()) {
            return Optional.of(s.value());
        }
        problem(at, "a default must be a string, number or boolean, got " + describe(node));
        return Optional.empty();
    }

    private static Object plain(YamlNode node) {
        if (node instanceof Scalar s) {
            return s.isNull() ? "" : s.value();
        }
        if (node instanceof ListNode l) {
            return l.items().stream().map(SpecReader::plain).toList();
        }
        Map<String, Object> out = new LinkedHashMap<>();
        ((MapNode) node).entries().forEach((k, e) -> out.put(k, plain(e.value())));
        return out;
    }

    private static String describe(YamlNode node) {
        if (node instanceof Scalar s) {
            return s.isNull() ? "nothing" : "'" + s.value() + "'";
        }
        return node instanceof ListNode ? "a list" : "a map";
    }

    private static String stripSlash(String path) {
        return path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    }

    private void problem(String at, String message) {
        problems.add(locate(at) + message);
    }

    private String locate(String path) {
        String p = path;
        while (true) {
            Location l = locations.get(p);
            if (l != null) {
                return source + ":" + l + ": ";
            }
            int dot = p.lastIndexOf('.');
            if (dot < 0) {
                Location root = locations.get("");
                return root == null ? source + ": " : source + ":" + root + ": ";
            }
            p = p.substring(0, dot);
        }
    }

    private CairnException failure() {
        return CairnException.invalid("invalid pipeline spec " + source + ":\n  " + String.join("\n  ", problems));
    }
}
