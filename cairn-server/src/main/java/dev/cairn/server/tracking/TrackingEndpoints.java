package dev.cairn.server.tracking;

import static dev.cairn.server.JsonRequests.elements;
import static dev.cairn.server.JsonRequests.required;
import static dev.cairn.server.tracking.TrackingEndpoint.mutation;
import static dev.cairn.server.tracking.TrackingEndpoint.read;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.cairn.core.CairnException;
import dev.cairn.core.Page;
import dev.cairn.server.tracking.TrackingRequests.CreateExperiment;
import dev.cairn.server.tracking.TrackingRequests.CreateRun;
import dev.cairn.server.tracking.TrackingRequests.DeleteTag;
import dev.cairn.server.tracking.TrackingRequests.ExperimentRef;
import dev.cairn.server.tracking.TrackingRequests.GetExperimentByName;
import dev.cairn.server.tracking.TrackingRequests.GetMetricHistory;
import dev.cairn.server.tracking.TrackingRequests.LogBatch;
import dev.cairn.server.tracking.TrackingRequests.LogInputs;
import dev.cairn.server.tracking.TrackingRequests.LogMetric;
import dev.cairn.server.tracking.TrackingRequests.RunKeyValue;
import dev.cairn.server.tracking.TrackingRequests.RunRef;
import dev.cairn.server.tracking.TrackingRequests.SearchExperiments;
import dev.cairn.server.tracking.TrackingRequests.SearchRuns;
import dev.cairn.server.tracking.TrackingRequests.SetExperimentTag;
import dev.cairn.server.tracking.TrackingRequests.UpdateExperiment;
import dev.cairn.server.tracking.TrackingRequests.UpdateRun;
import dev.cairn.tracking.Experiment;
import dev.cairn.tracking.ExperimentSearch;
import dev.cairn.tracking.Metric;
import dev.cairn.tracking.NewRun;
import dev.cairn.tracking.Param;
import dev.cairn.tracking.Run;
import dev.cairn.tracking.RunInfo;
import dev.cairn.tracking.RunSearch;
import dev.cairn.tracking.RunUpdate;
import dev.cairn.tracking.Tag;
import dev.cairn.tracking.TrackingStore;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/** MLflow's tracking service ({@code service.proto}): every endpoint, its request and its response. */
final class TrackingEndpoints {
    private TrackingEndpoints() {}

    static List<TrackingEndpoint<?>> all() {
        return List.of(
                mutation("mlflow/experiments/create", CreateExperiment.class, TrackingEndpoints::createExperiment),
                read("mlflow/experiments/get", ExperimentRef.class, TrackingEndpoints::getExperiment),
                read("mlflow/experiments/get-by-name", GetExperimentByName.class, TrackingEndpoints::getByName),
                read("mlflow/experiments/search", SearchExperiments.class, TrackingEndpoints::searchExperiments),
                mutation("mlflow/experiments/update", UpdateExperiment.class, TrackingEndpoints::updateExperiment),
                mutation("mlflow/experiments/delete", ExperimentRef.class, (s, q, out) -> {
                    s.deleteExperiment(experimentId(q.experimentId()));
                    empty(out);
                }),
                mutation("mlflow/experiments/restore", ExperimentRef.class, (s, q, out) -> {
                    s.restoreExperiment(experimentId(q.experimentId()));
                    empty(out);
                }),
                mutation("mlflow/experiments/set-experiment-tag", SetExperimentTag.class, (s, q, out) -> {
                    s.setExperimentTag(
                            experimentId(q.experimentId()), new Tag(required(q.key(), "key"), orEmpty(q.value())));
                    empty(out);
                }),
                mutation("mlflow/runs/create", CreateRun.class, TrackingEndpoints::createRun),
                read(
                        "mlflow/runs/get",
                        RunRef.class,
                        (s, q, out) -> runResponse(out, s.getRun(runId(q.runId(), q.runUuid())))),
                mutation("mlflow/runs/update", UpdateRun.class, TrackingEndpoints::updateRun),
                mutation("mlflow/runs/delete", RunRef.class, (s, q, out) -> {
                    s.deleteRun(runId(q.runId(), q.runUuid()));
                    empty(out);
                }),
                mutation("mlflow/runs/restore", RunRef.class, (s, q, out) -> {
                    s.restoreRun(runId(q.runId(), q.runUuid()));
                    empty(out);
                }),
                read("mlflow/runs/search", SearchRuns.class, TrackingEndpoints::searchRuns),
                mutation("mlflow/runs/log-metric", LogMetric.class, TrackingEndpoints::logMetric),
                mutation("mlflow/runs/log-parameter", RunKeyValue.class, (s, q, out) -> {
                    Param param = new Param(required(q.key(), "key"), orEmpty(q.value()));
                    s.logBatch(runId(q.runId(), q.runUuid()), List.of(), List.of(param), List.of());
                    empty(out);
                }),
                mutation("mlflow/runs/set-tag", RunKeyValue.class, (s, q, out) -> {
                    Tag tag = new Tag(required(q.key(), "key"), orEmpty(q.value()));
                    s.logBatch(runId(q.runId(), q.runUuid()), List.of(), List.of(), List.of(tag));
                    empty(out);
                }),
                mutation("mlflow/runs/delete-tag", DeleteTag.class, (s, q, out) -> {
                    s.deleteTag(required(q.runId(), "run_id"), required(q.key(), "key"));
                    empty(out);
                }),
                mutation("mlflow/runs/log-batch", LogBatch.class, TrackingEndpoints::logBatch),
                mutation("mlflow/runs/log-inputs", LogInputs.class, (s, q, out) -> {
                    s.logInputs(required(q.runId(), "run_id"), TrackingValues.datasetInputs(q.datasets()));
                    empty(out);
                }),
                read("mlflow/metrics/get-history", GetMetricHistory.class, TrackingEndpoints::metricHistory));
    }

    private static void createExperiment(TrackingStore store, CreateExperiment q, JsonGenerator out)
            throws IOException {
        String id = store.createExperiment(
                required(q.name(), "name"),
                Optional.ofNullable(q.artifactLocation()).filter(s -> !s.isEmpty()),
                TrackingValues.tags(q.tags(), "tags"));
        out.writeStartObject();
        out.writeStringField("experiment_id", id);
        out.writeEndObject();
    }

    private static void getExperiment(TrackingStore store, ExperimentRef q, JsonGenerator out) throws IOException {
        experimentResponse(out, store.getExperiment(experimentId(q.experimentId())));
    }

    private static void getByName(TrackingStore store, GetExperimentByName q, JsonGenerator out) throws IOException {
        String name = required(q.experimentName(), "experiment_name");
        Experiment e = store.findExperimentByName(name)
                .orElseThrow(() -> CairnException.notFound("Could not find experiment with name '" + name + "'"));
        experimentResponse(out, e);
    }

    private static void searchExperiments(TrackingStore store, SearchExperiments q, JsonGenerator out)
            throws IOException {
        long max = q.maxResults() == null ? ExperimentSearch.DEFAULT_MAX_RESULTS : q.maxResults();
        CairnException.requireArgument(
                max > 0 && max <= ExperimentSearch.MAX_RESULTS_LIMIT,
                "Invalid value " + max + " for parameter 'max_results': it must be between 1 and "
                        + ExperimentSearch.MAX_RESULTS_LIMIT);
        ExperimentSearch search = new ExperimentSearch(
                orEmpty(q.filter()),
                TrackingValues.viewType(q.viewType(), "view_type"),
                (int) max,
                elements(q.orderBy(), "order_by"),
                token(q.pageToken()));
        Page<Experiment> page = store.searchExperiments(search);
        out.writeStartObject();
        if (!page.items().isEmpty()) {
            out.writeArrayFieldStart("experiments");
            for (Experiment e : page.items()) {
                ProtoJson.experiment(out, e);
            }
            out.writeEndArray();
        }
        nextPageToken(out, page);
        out.writeEndObject();
    }

    private static void updateExperiment(TrackingStore store, UpdateExperiment q, JsonGenerator out)
            throws IOException {
        store.renameExperiment(experimentId(q.experimentId()), required(q.newName(), "new_name"));
        empty(out);
    }

    private static void createRun(TrackingStore store, CreateRun q, JsonGenerator out) throws IOException {
        NewRun run = new NewRun(
                experimentId(q.experimentId()),
                orEmpty(q.userId()),
                q.startTime() == null ? System.currentTimeMillis() : q.startTime(),
                Optional.ofNullable(q.runName()).filter(s -> !s.isEmpty()),
                TrackingValues.tags(q.tags(), "tags"));
        runResponse(out, store.createRun(run));
    }

    private static void updateRun(TrackingStore store, UpdateRun q, JsonGenerator out) throws IOException {
        RunUpdate update = new RunUpdate(
                Optional.ofNullable(q.status()).map(s -> TrackingValues.runStatus(s, "status")),
                q.endTime() == null ? OptionalLong.empty() : OptionalLong.of(q.endTime()),
                Optional.ofNullable(q.runName()).filter(s -> !s.isEmpty()));
        RunInfo info = store.updateRun(runId(q.runId(), q.runUuid()), update);
        out.writeStartObject();
        out.writeFieldName("run_info");
        ProtoJson.runInfo(out, info);
        out.writeEndObject();
    }

    private static void searchRuns(TrackingStore store, SearchRuns q, JsonGenerator out) throws IOException {
        int max = q.maxResults() == null ? RunSearch.DEFAULT_MAX_RESULTS : q.maxResults();
        CairnException.requireArgument(
                max > 0 && max <= RunSearch.MAX_RESULTS_LIMIT,
                "Invalid value " + max + " for parameter 'max_results': it must be between 1 and "
                        + RunSearch.MAX_RESULTS_LIMIT);
        RunSearch search = new RunSearch(
                elements(q.experimentIds(), "experiment_ids"),
                orEmpty(q.filter()),
                TrackingValues.viewType(q.runViewType(), "run_view_type"),
                max,
                elements(q.orderBy(), "order_by"),
                token(q.pageToken()));
        Page<Run> page = store.searchRuns(search);
        out.writeStartObject();
        if (!page.items().isEmpty()) {
            out.writeArrayFieldStart("runs");
            for (Run run : page.items()) {
                ProtoJson.run(out, run);
            }
            out.writeEndArray();
        }
        nextPageToken(out, page);
        out.writeEndObject();
    }

    private static void logMetric(TrackingStore store, LogMetric q, JsonGenerator out) throws IOException {
        Metric metric = new Metric(
                required(q.key(), "key"),
                required(q.value(), "value"),
                required(q.timestamp(), "timestamp"),
                q.step() == null ? 0L : q.step());
        store.logBatch(runId(q.runId(), q.runUuid()), List.of(metric), List.of(), List.of());
        empty(out);
    }

    private static void logBatch(TrackingStore store, LogBatch q, JsonGenerator out) throws IOException {
        store.logBatch(
                required(q.runId(), "run_id"),
                TrackingValues.metrics(q.metrics()),
                TrackingValues.params(q.params()),
                TrackingValues.tags(q.tags(), "tags"));
        empty(out);
    }

    /**
     * Without paging parameters the whole history streams to the client while rows are read; the
     * opening of the response is written with the first point, so that an unknown run still gets
     * a clean 404.
     */
    private static void metricHistory(TrackingStore store, GetMetricHistory q, JsonGenerator out) throws IOException {
        String runId = runId(q.runId(), q.runUuid());
        String key = required(q.metricKey(), "metric_key");
        if (q.maxResults() == null && token(q.pageToken()).isEmpty()) {
            MetricStream stream = new MetricStream(out);
            store.streamMetricHistory(runId, key, stream);
            stream.finish();
            return;
        }
        int max = q.maxResults() == null ? 25_000 : q.maxResults();
        Page<Metric> page = store.metricHistory(runId, key, max, token(q.pageToken()));
        out.writeStartObject();
        if (!page.items().isEmpty()) {
            out.writeArrayFieldStart("metrics");
            for (Metric m : page.items()) {
                ProtoJson.metric(out, m);
            }
            out.writeEndArray();
        }
        nextPageToken(out, page);
        out.writeEndObject();
    }

    private static void experimentResponse(JsonGenerator out, Experiment e) throws IOException {
        out.writeStartObject();
        out.writeFieldName("experiment");
        ProtoJson.experiment(out, e);
        out.writeEndObject();
    }

    private static void runResponse(JsonGenerator out, Run run) throws IOException {
        out.writeStartObject();
        out.writeFieldName("run");
        ProtoJson.run(out, run);
        out.writeEndObject();
    }

    private static void nextPageToken(JsonGenerator out, Page<?> page) throws IOException {
        if (page.nextPageToken().isPresent()) {
            out.writeStringField("next_page_token", page.nextPageToken().get());
        }
    }

    private static void empty(JsonGenerator out) throws IOException {
        out.writeStartObject();
        out.writeEndObject();
    }

    private static String experimentId(String id) {
        return required(id, "experiment_id");
    }

    /** MLflow accepts the deprecated {@code run_uuid} wherever {@code run_id} is missing. */
    private static String runId(String runId, String runUuid) {
        if (runId != null && !runId.isEmpty()) {
            return runId;
        }
        return required(runUuid, "run_id");
    }

    private static String orEmpty(String s) {
        return s == null ? "" : s;
    }

    private static Optional<String> token(String token) {
        return Optional.ofNullable(token).filter(t -> !t.isEmpty());
    }
}
