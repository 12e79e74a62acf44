package dev.cairn.pipelines.execution;

import dev.cairn.core.CairnException;
import dev.cairn.pipelines.OutputRef;
import dev.cairn.pipelines.OutputSpec;
import dev.cairn.pipelines.ParamType;
import dev.cairn.pipelines.Pipeline;
import dev.cairn.pipelines.Step;
import dev.cairn.pipelines.StepAction;
import dev.cairn.pipelines.Templates;
import dev.cairn.pipelines.builtin.BuiltinStep;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * A step ready to run: inputs resolved to paths and content hashes, references substituted in its
 * command, env and configuration, and its cache key computed.
 */
record PreparedStep(
        Step step,
        Map<String, Path> inputs,
        Map<String, Path> outputs,
        Map<String, Object> params,
        List<String> argv,
        Map<String, String> env,
        Map<String, Object> with,
        Path workDir,
        Optional<BuiltinStep> builtin,
        CacheKeys.Key key) {

    /**
     * Prepares {@code step}. {@code upstream} gives the stored outputs of finished steps, {@code
     * resolve} resolves any other input reference; a missing input fails.
     */
    static PreparedStep prepare(
            Pipeline pipeline,
            Step step,
            Map<String, Object> allParams,
            Map<String, Map<String, StoredOutput>> upstream,
            Function<String, ResolvedInput> resolve,
            Fingerprints fingerprints,
            Function<String, BuiltinStep> builtins) {
        Path project = pipeline.projectDir();
        Map<String, Path> inputPaths = new LinkedHashMap<>();
        Map<String, String> inputHashes = new TreeMap<>();
        step.inputs().forEach((name, ref) -> {
            Optional<OutputRef> out = OutputRef.parse(ref);
            if (out.isPresent()) {
                StoredOutput stored = upstream.getOrDefault(out.get().step(), Map.of())
                        .get(out.get().output());
                if (stored == null) {
                    throw CairnException.invalid(
                            "input '" + name + "' of step '" + step.name() + "': " + ref + " has not been produced");
                }
                String path = pipeline.step(out.get().step())
                        .outputs()
                        .get(out.get().output())
                        .path();
                inputPaths.put(name, project.resolve(path).normalize());
                inputHashes.put(name, stored.sha256());
            } else {
                ResolvedInput resolved = resolve.apply(ref);
                inputPaths.put(name, resolved.path());
                inputHashes.put(name, resolved.contentHash());
            }
        });
        Map<String, Path> outputPaths = new LinkedHashMap<>();
        step.outputs()
                .values()
                .forEach(
                        o -> outputPaths.put(o.name(), project.resolve(o.path()).normalize()));
        Map<String, Object> params = new TreeMap<>();
        step.referencedParams().forEach(p -> params.put(p, allParams.get(p)));
        Map<String, Map<String, String>> scopes = scopes(params, inputPaths, outputPaths);
        Path workDir = step.workdir().map(w -> project.resolve(w).normalize()).orElse(project);
        Map<String, String> env = new LinkedHashMap<>();
        step.env().forEach((k, v) -> env.put(k, Templates.substitute(v, scopes)));
        List<String> argv = List.of();
        Map<String, Object> with = Map.of();
        Optional<BuiltinStep> builtin = Optional.empty();
        Map<String, Object> code;
        Map<String, Object> environment;
        if (step.action() instanceof StepAction.Command c) {
            argv = c.argv().stream().map(a -> Templates.substitute(a, scopes)).toList();
            Set<Path> data = new HashSet<>(inputPaths.values());
            data.addAll(outputPaths.values());
            code = fingerprints.codeVersion(step.code(), argv, workDir, data);
            environment = fingerprints.environment(argv, c.shell(), workDir);
            if (c.shell()) {
                argv = List.of("/bin/sh", "-c", argv.get(0));
            }
        } else {
            StepAction.Uses u = (StepAction.Uses) step.action();
            builtin = Optional.of(builtins.apply(u.builtin()));
            with = substituteAll(u.with(), scopes);
            code = Fingerprints.builtinVersion(builtin.get());
            environment = fingerprints.environment(List.of(), false, workDir);
        }
        CacheKeys.Key key = CacheKeys.compute(definition(step), code, params, inputHashes, environment);
        return new PreparedStep(step, inputPaths, outputPaths, params, argv, env, with, workDir, builtin, key);
    }

    /** The definition part of the key: what the step runs and declares; not retries, timeout or condition. */
    private static Map<String, Object> definition(Step step) {
        Map<String, Object> spec = new LinkedHashMap<>(step.toSpecMap());
        spec.put("inputs", new ArrayList<>(step.inputs().keySet()));
        spec.remove("retries");
        spec.remove("timeout");
        spec.remove("when");
        spec.remove("after");
        return spec;
    }

    private static Map<String, Map<String, String>> scopes(
            Map<String, Object> params, Map<String, Path> inputs, Map<String, Path> outputs) {
        Map<String, String> p = new LinkedHashMap<>();
        params.forEach((k, v) -> p.put(k, ParamType.format(v)));
        Map<String, String> i = new LinkedHashMap<>();
        inputs.forEach((k, v) -> i.put(k, v.toString()));
        Map<String, String> o = new LinkedHashMap<>();
        outputs.forEach((k, v) -> o.put(k, v.toString()));
        return Map.of("params", p, "inputs", i, "outputs", o);
    }

    private static Map<String, Object> substituteAll(
            Map<String, Object> with, Map<String, Map<String, String>> scopes) {
        Map<String, Object> out = new LinkedHashMap<>();
        with.forEach((k, v) -> out.put(k, substituteValue(v, scopes)));
        return out;
    }

    private static Object substituteValue(Object value, Map<String, Map<String, String>> scopes) {
        if (value instanceof String s) {
            return Templates.substitute(s, scopes);
        }
        if (value instanceof Map<?, ?> m) {
            Map<String, Object> out = new LinkedHashMap<>();
            m.forEach((k, v) -> out.put(String.valueOf(k), substituteValue(v, scopes)));
            return out;
        }
        if (value instanceof List<?> l) {
            return l.stream().map(v -> substituteValue(v, scopes)).toList();
        }
        return value;
    }

    /** The environment variables every step process gets besides the engine's own and its {@code env}. */
    Map<String, String> cairnEnvironment(String trackingUri, String runId, String pipelineRunId) {
        Map<String, String> vars = new LinkedHashMap<>();
        vars.put("CAIRN_TRACKING_URI", trackingUri);
        vars.put("CAIRN_RUN_ID", runId);
        vars.put("CAIRN_PIPELINE_RUN_ID", pipelineRunId);
        vars.put("CAIRN_STEP", step.name());
        params.forEach((k, v) -> vars.put("CAIRN_PARAM_" + envName(k), ParamType.format(v)));
        inputs.forEach((k, v) -> vars.put("CAIRN_INPUT_" + envName(k), v.toString()));
        outputs.forEach((k, v) -> vars.put("CAIRN_OUTPUT_" + envName(k), v.toString()));
        vars.putAll(env);
        return vars;
    }

    static String envName(String name) {
        return name.toUpperCase(Locale.ROOT).replace('-', '_');
    }

    /** The output specs with their absolute paths. */
    Map<OutputSpec, Path> outputSpecs() {
        Map<OutputSpec, Path> specs = new LinkedHashMap<>();
        step.outputs().values().forEach(o -> specs.put(o, outputs.get(o.name())));
        return specs;
    }
}
