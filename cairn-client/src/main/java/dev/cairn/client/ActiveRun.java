package dev.cairn.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cairn.provenance.CapturedProvenance;
import dev.cairn.provenance.Provenance;
import dev.cairn.provenance.ProvenanceTags;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;

/**
 * A run being recorded: log params, metrics, tags and artifacts to it, then close it.
 *
 * <p>Params, metrics and tags are queued and sent in batches in the background; a value the
 * server refuses is reported by the next {@link #flush()} or {@link #close()}. Artifacts are
 * uploaded at once. {@link #close()} flushes and ends the run FINISHED (FAILED if it was marked
 * failed or a logged value was refused). Java's {@code close()} cannot see an exception that is
 * leaving a try-with-resources block, so code that wants FAILED on exceptions either calls
 * {@link #fail()} in a catch block or uses {@link Experiment#run(String, RunBody)}.
 */
public final class ActiveRun implements AutoCloseable {
    /** The tag MLflow uses to link a nested run to its parent. */
    public static final String PARENT_RUN_ID_TAG = "mlflow.parentRunId";

    private static final String API = "/api/2.0/mlflow/runs/";

    private final Cairn cairn;
    private final RunInfo info;
    private final AtomicBoolean ended = new AtomicBoolean();
    private volatile boolean failed;

    private ActiveRun(Cairn cairn, RunInfo info) {
        this.cairn = cairn;
        this.info = info;
    }

    static ActiveRun start(
            Cairn cairn,
            String experimentId,
            String runName,
            Map<String, String> extraTags,
            Optional<CapturedProvenance> provenance) {
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.put("experiment_id", experimentId);
        body.put("start_time", System.currentTimeMillis());
        String user = System.getProperty("user.name", "");
        body.put("user_id", user);
        if (!runName.isEmpty()) {
            body.put("run_name", runName);
        }
        Map<String, String> tags = new LinkedHashMap<>();
        tags.put("mlflow.user", user);
        tags.put("mlflow.source.type", "LOCAL");
        tags.put("mlflow.source.name", sourceName());
        Optional<String> json = provenance.map(p -> p.provenance().toJson());
        // The provenance tags ride on the create call itself: no round trip of their own.
        provenance.ifPresent(p -> tags.putAll(ProvenanceTags.of(p.provenance(), json.orElseThrow())));
        tags.putAll(extraTags);
        ArrayNode tagArray = body.putArray("tags");
        tags.forEach((key, value) -> tagArray.addObject().put("key", key).put("value", value));
        // not idempotent: retrying a create that timed out could leave a second, empty run
        JsonNode created = cairn.transport().post(API + "create", body, false);
        ActiveRun run =
                new ActiveRun(cairn, MlflowJson.runInfo(created.path("run").path("info")));
        provenance.ifPresent(p -> run.uploadProvenance(json.orElseThrow(), p.diff()));
        return run;
    }

    private void uploadProvenance(String json, byte[] diff) {
        uploadBytes(json.getBytes(StandardCharsets.UTF_8), Provenance.ARTIFACT_PATH);
        if (diff.length > 0) {
            uploadBytes(diff, Provenance.DIFF_ARTIFACT_PATH);
        }
    }

    /** Continues an existing run, setting it RUNNING again as MLflow's {@code start_run(run_id=...)} does. */
    static ActiveRun resume(Cairn cairn, RunInfo info) {
        if (!"active".equals(info.lifecycleStage())) {
            throw CairnClientException.invalid("run " + info.runId() + " is deleted; restore it before logging to it");
        }
        ObjectNode body = JsonNodeFactory.instance
                .objectNode()
                .put("run_id", info.runId())
                .put("run_uuid", info.runId())
                .put("status", RunStatus.RUNNING.name());
        cairn.transport().post(API + "update", body, true);
        return new ActiveRun(cairn, info);
    }

    static void runBody(ActiveRun run, RunBody body) {
        try {
            body.accept(run);
        } catch (RuntimeException | Error e) {
            run.failQuietly(e);
            throw e;
        } catch (Exception e) {
            run.failQuietly(e);
            throw new CairnClientException(
                    CairnClientException.RUN_FAILED, "run " + run.id() + " failed: " + e.getMessage(), e);
        }
        run.close();
    }

    public String id() {
        return info.runId();
    }

    public String name() {
        return info.runName();
    }

    public String experimentId() {
        return info.experimentId();
    }

    /** The run as the server reported it when it was created. */
    public RunInfo info() {
        return info;
    }

    public ActiveRun logParam(String key, String value) {
        requireOpen();
        Experiments.requireText("param key", key);
        cairn.sender().submit(new LogEntry.ParamValue(id(), key, requireValue("param " + key, value)));
        return this;
    }

    /** Logs each entry as a param, its value as {@link String#valueOf(Object)}. */
    public ActiveRun logParams(Map<String, ?> params) {
        params.forEach((key, value) -> logParam(key, String.valueOf(value)));
        return this;
    }

    /** Logs a metric point at step 0. */
    public ActiveRun logMetric(String key, double value) {
        return logMetric(key, value, 0);
    }

    public ActiveRun logMetric(String key, double value, long step) {
        requireOpen();
        Experiments.requireText("metric key", key);
        Metric point = new Metric(key, value, System.currentTimeMillis(), step);
        cairn.sender().submit(new LogEntry.MetricPoint(id(), point));
        return this;
    }

    public ActiveRun setTag(String key, String value) {
        requireOpen();
        Experiments.requireText("tag key", key);
        cairn.sender().submit(new LogEntry.TagValue(id(), key, requireValue("tag " + key, value)));
        return this;
    }

    /** Uploads a file to the root of the run's artifacts. */
    public ActiveRun logArtifact(Path file) {
        return logArtifact(file, "");
    }

    /** Uploads a file into the directory {@code artifactPath} (relative, "/"-separated) of the run's artifacts. */
    public ActiveRun logArtifact(Path file, String artifactPath) {
        requireOpen();
        if (!Files.isRegularFile(file)) {
            throw CairnClientException.invalid("artifact " + file + " is not a readable file");
        }
        upload(
                file,
                ArtifactPaths.join(
                        ArtifactPaths.relative(artifactPath), file.getFileName().toString()));
        return this;
    }

    /** Uploads every file under {@code directory}, keeping its layout, into {@code artifactPath}. */
    public ActiveRun logArtifacts(Path directory, String artifactPath) {
        requireOpen();
        if (!Files.isDirectory(directory)) {
            throw CairnClientException.invalid("artifact directory " + directory + " is not a directory");
        }
        String base = ArtifactPaths.relative(artifactPath);
        for (Path file : filesUnder(directory)) {
            String relative = directory
                    .relativize(file)
                    .toString()
                    .replace(file.getFileSystem().getSeparator(), "/");
            upload(file, ArtifactPaths.join(base, relative));
        }
        return this;
    }

    /** Starts a run in the same experiment, linked to this one as its parent. */
    public ActiveRun startNestedRun(String runName) {
        requireOpen();
        Experiments.requireText("run name", runName);
        return new RunStarter(cairn, experimentId(), Map.of(PARENT_RUN_ID_TAG, id()))
                .name(runName)
                .start();
    }

    /** Waits until every value logged so far has been sent; throws the first one the server refused. */
    public void flush() {
        cairn.sender().flush();
        CairnClientException failure = cairn.sender().takeFailure(id());
        if (failure != null) {
            failed = true;
            throw failure;
        }
    }

    /** Flushes and ends the run FAILED. */
    public void fail() {
        end(RunStatus.FAILED);
    }

    /**
     * Flushes and ends the run with {@code status}; only the first end counts. If the flush reports
     * a refused value, the run ends FAILED and the refusal is thrown.
     */
    public void end(RunStatus status) {
        if (!status.isTerminal()) {
            throw CairnClientException.invalid("a run ends FINISHED, FAILED or KILLED, not " + status);
        }
        if (ended.get()) {
            return;
        }
        try {
            flush();
        } catch (CairnClientException e) {
            markEnded(RunStatus.FAILED);
            throw e;
        }
        markEnded(status);
    }

    /** Ends the run FINISHED, or FAILED after {@link #fail()}-style marking or a refused value. */
    @Override
    public void close() {
        end(failed ? RunStatus.FAILED : RunStatus.FINISHED);
    }

    private void failQuietly(Throwable cause) {
        failed = true;
        try {
            end(RunStatus.FAILED);
        } catch (CairnClientException e) {
            cause.addSuppressed(e);
        }
    }

    private void markEnded(RunStatus status) {
        if (!ended.compareAndSet(false, true)) {
            return;
        }
        ObjectNode body = JsonNodeFactory.instance
                .objectNode()
                .put("run_id", id())
                .put("run_uuid", id())
                .put("status", status.name())
                .put("end_time", System.currentTimeMillis());
        cairn.transport().post(API + "update", body, true);
    }

    private void uploadBytes(byte[] content, String relativePath) {
        cairn.transport().upload(ArtifactPaths.endpoint(info.artifactUri(), relativePath), content);
    }

    private void upload(Path file, String relativePath) {
        cairn.transport().upload(ArtifactPaths.endpoint(info.artifactUri(), relativePath), file);
    }

    private void requireOpen() {
        if (ended.get()) {
            throw CairnClientException.invalid("run " + id() + " has ended; start a new run to log more");
        }
    }

    private static String requireValue(String what, String value) {
        if (value == null) {
            throw CairnClientException.invalid(what + " must have a value, was null");
        }
        return value;
    }

    private static List<Path> filesUnder(Path directory) {
        try (Stream<Path> walk = Files.walk(directory)) {
            List<Path> files = new ArrayList<>();
            walk.filter(Files::isRegularFile).sorted().forEach(files::add);
            return files;
        } catch (IOException e) {
            throw CairnClientException.invalid("cannot list artifact directory " + directory + ": " + e.getMessage());
        }
    }

    private static String sourceName() {
        String command = System.getProperty("sun.java.command", "");
        int space = command.indexOf(' ');
        return space < 0 ? command : command.substring(0, space);
    }
}
