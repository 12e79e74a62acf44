package dev.cairn.serving;

import dev.cairn.core.CairnException;
import dev.cairn.core.ErrorCode;
import dev.cairn.models.LoadedModel;
import dev.cairn.models.Models;
import dev.cairn.models.Signature;
import dev.cairn.models.Tensor;
import dev.cairn.models.TensorSpec;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Serves model versions by name: loads packages, checks requests against signatures, dispatches
 * them (directly or micro-batched, within a bounded queue) and hands sampled records to the
 * inference log. It knows nothing of HTTP. A router for deployments sits in front of {@link
 * #infer(InferenceRequest, String)}: it picks the version of each request and names the deployment.
 */
public final class InferenceEngine implements AutoCloseable {
    private final ServingConfig config;
    private final InferenceSink log;
    private final Map<String, Map<String, Served>> models = new ConcurrentHashMap<>();
    private final Map<String, String> defaults = new ConcurrentHashMap<>();

    /** A loaded version with its dispatcher. */
    private record Served(ModelInfo info, LoadedModel model, Dispatcher dispatcher) {}

    public InferenceEngine(ServingConfig config, InferenceSink log) {
        this.config = config;
        this.log = log;
    }

    public InferenceEngine(ServingConfig config) {
        this(config, InferenceSink.none());
    }

    /**
     * Loads the package in {@code directory} as {@code version} of {@code name} and makes it the
     * model's default version. The package is verified and its input example, if any, predicted
     * before it takes traffic; if any of that fails the error is thrown and whatever served before
     * keeps serving.
     */
    public ModelInfo load(String name, String version, Path directory) {
        return load(name, version, directory, config.batching());
    }

    /** As {@link #load(String, String, Path)}, with this model's own micro-batching policy. */
    public ModelInfo load(String name, String version, Path directory, ServingConfig.Batching batching) {
        CairnException.requireArgument(
                name.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,127}"),
                "model name '" + name + "' must be 1-128 letters, digits, '.', '_' or '-'");
        CairnException.requireArgument(
                version.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,63}"),
                "model version '" + version + "' must be 1-64 letters, digits, '.', '_' or '-'");
        LoadedModel model = Models.load(directory);
        try {
            smokeTest(name, version, model);
        } catch (RuntimeException e) {
            model.close();
            throw e;
        }
        var info = new ModelInfo(
                name,
                version,
                model.manifest().flavor(),
                model.manifest().signature(),
                model.manifest().contentHash(),
                directory,
                Instant.now());
        Served served = new Served(info, model, dispatcher(name + ":" + version, model, batching));
        Served previous;
        synchronized (this) {
            previous =
                    models.computeIfAbsent(name, k -> new ConcurrentHashMap<>()).put(version, served);
            defaults.put(name, version);
        }
        if (previous != null) {
            previous.dispatcher().drainAndClose();
        }
        return info;
    }

    /** Makes {@code version} (already loaded) the version that requests without a version get. */
    public synchronized void setDefaultVersion(String name, String version) {
        served(name, version);
        defaults.put(name, version);
    }

    /** Stops serving {@code version} of {@code name}; in-flight requests finish first. */
    public void unload(String name, String version) {
        Served removed;
        synchronized (this) {
            Map<String, Served> versions = models.get(name);
            removed = versions == null ? null : versions.remove(version);
            if (removed == null) {
                throw CairnException.notFound("model '" + name + "' has no version '" + version + "'");
            }
            if (versions.isEmpty()) {
                models.remove(name);
                defaults.remove(name);
            } else if (version.equals(defaults.get(name))) {
                defaults.put(name, newest(versions).info().version());
            }
        }
        removed.dispatcher().drainAndClose();
    }

    /** Predicts {@code request} outside any deployment. */
    public InferenceResponse infer(InferenceRequest request) {
        return infer(request, "");
    }

    /**
     * Predicts {@code request} with the version it names (or the default one) and logs it under
     * {@code deployment} when sampled. Bad input is a 400-class error naming the input; a full queue
     * is TEMPORARILY_UNAVAILABLE.
     */
    public InferenceResponse infer(InferenceRequest request, String deployment) {
        Served served = served(request.model(), request.version());
        long start = System.nanoTime();
        Instant time = Instant.now();
        Signature signature = served.info().signature();
        List<Tensor> inputs = request.inputs();
        try {
            inputs = SignatureCheck.inputs(signature, request.inputs());
            List<Tensor> outputs =
                    SignatureCheck.outputs(signature, served.dispatcher().submit(inputs), request.outputs());
            record(request, deployment, served, time, start, "OK", inputs, outputs, "");
            return new InferenceResponse(
                    request.id(), request.model(), served.info().version(), outputs);
        } catch (CairnException e) {
            record(request, deployment, served, time, start, e.code().name(), inputs, List.of(), e.getMessage());
            throw e;
        } catch (RuntimeException e) {
            record(
                    request,
                    deployment,
                    served,
                    time,
                    start,
                    ErrorCode.INTERNAL_ERROR.name(),
                    inputs,
                    List.of(),
                    String.valueOf(e));
            throw new CairnException(ErrorCode.INTERNAL_ERROR, "model " + request.model() + " failed: " + e, e);
        }
    }

    /** The model version {@code version} of {@code name} ({@code ""} for the default), if served. */
    public Optional<ModelInfo> model(String name, String version) {
        try {
            return Optional.of(served(name, version).info());
        } catch (CairnException e) {
            return Optional.empty();
        }
    }

    /** Every served version of {@code name}, oldest first. */
    public List<ModelInfo> versions(String name) {
        Map<String, Served> versions = models.getOrDefault(name, Map.of());
        return versions.values().stream()
                .map(Served::info)
                .sorted(Comparator.comparing(ModelInfo::loadedAt))
                .toList();
    }

    /** The names of the served models, in no particular order. */
    public Set<String> modelNames() {
        return Collections.unmodifiableSet(models.keySet());
    }

    /** Every served model version. */
    public List<ModelInfo> models() {
        var all = new ArrayList<ModelInfo>();
        models.keySet().stream().sorted().forEach(name -> all.addAll(versions(name)));
        return all;
    }

    /** The requests waiting (micro-batching) or running (direct) for a model version now. */
    public int queueDepth(String name, String version) {
        return served(name, version).dispatcher().depth();
    }

    public ServingConfig config() {
        return config;
    }

    private Served served(String name, String version) {
        Map<String, Served> versions = models.get(name);
        if (versions == null) {
            throw CairnException.notFound("model '" + name + "' is not served");
        }
        String wanted = version.isEmpty() ? defaults.getOrDefault(name, "") : version;
        Served served = versions.get(wanted);
        if (served == null) {
            throw CairnException.notFound("model '" + name + "' has no version '" + version + "'; served versions: "
                    + versions.keySet().stream().sorted().toList());
        }
        return served;
    }

    private static Served newest(Map<String, Served> versions) {
        return versions.values().stream()
                .max(Comparator.comparing(s -> s.info().loadedAt()))
                .orElseThrow();
    }

    private void record(
            InferenceRequest request,
            String deployment,
            Served served,
            Instant time,
            long startNanos,
            String status,
            List<Tensor> inputs,
            List<Tensor> outputs,
            String error) {
        double rate = config.logSampleRate();
        if (rate <= 0 || (rate < 1 && ThreadLocalRandom.current().nextDouble() >= rate)) {
            return;
        }
        long micros = (System.nanoTime() - startNanos) / 1000;
        log.accept(new InferenceRecord(
                request.id(),
                deployment,
                request.model(),
                served.info().version(),
                time,
                micros,
                status,
                inputs,
                outputs,
                error));
    }

    private void smokeTest(String name, String version, LoadedModel model) {
        List<Tensor> example;
        try {
            example = model.inputExample();
            if (!example.isEmpty()) {
                model.predict(SignatureCheck.inputs(model.manifest().signature(), example));
            }
        } catch (RuntimeException e) {
            throw new CairnException(
                    ErrorCode.INVALID_STATE,
                    "model " + name + " version " + version + " (" + model.directory()
                            + ") fails on its own input example: " + e.getMessage(),
                    e);
        }
    }

    private Dispatcher dispatcher(String label, LoadedModel model, ServingConfig.Batching batching) {
        // Up to one request per core runs on its caller's thread (no hand-off), so batching costs
        // nothing at moderate load; beyond that one predict call per batch gains for ONNX Runtime
        // (2-3x the requests/s at 32 connections) and native XGBoost, and is even for the XGBoost
        // trees walked in Java.
        boolean wanted = batching != ServingConfig.Batching.OFF;
        if (wanted && config.maxBatchSize() > 1 && batchable(model.manifest().signature())) {
            return new BatchingDispatcher(
                    label,
                    model.predictor(),
                    config.maxBatchSize(),
                    config.maxBatchDelay().toNanos(),
                    config.maxQueue());
        }
        return new DirectDispatcher(label, model.predictor(), config.maxQueue());
    }

    /** Requests merge along the first dimension only when it is the only free one. */
    private static boolean batchable(Signature signature) {
        for (TensorSpec spec : signature.inputs()) {
            List<Long> shape = spec.shape();
            if (shape.isEmpty()
                    || shape.get(0) != -1
                    || shape.subList(1, shape.size()).contains(-1L)) {
                return false;
            }
        }
        return true;
    }

    /** Stops every model version after its in-flight requests. */
    @Override
    public synchronized void close() {
        for (Map<String, Served> versions : models.values()) {
            versions.values().forEach(served -> served.dispatcher().drainAndClose());
        }
        models.clear();
        defaults.clear();
    }
}
