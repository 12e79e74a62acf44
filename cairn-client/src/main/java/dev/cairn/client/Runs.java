package dev.cairn.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The read side of runs: get, search, metric history and artifacts; plus delete and restore. */
public final class Runs {
    private static final String API = "/api/2.0/mlflow/";
    private static final int SEARCH_PAGE = 1000;
    private static final int HISTORY_PAGE = 25_000;

    private final RestTransport transport;
    private final Experiments experiments;

    Runs(RestTransport transport, Experiments experiments) {
        this.transport = transport;
        this.experiments = experiments;
    }

    public Run get(String runId) {
        Experiments.requireText("run id", runId);
        return MlflowJson.run(transport.get(API + "runs/get", "run_id", runId).path("run"));
    }

    /**
     * Searches the active runs of all active experiments.
     *
     * @param filter MLflow filter, e.g. {@code metrics.acc > 0.9}; empty for all runs
     * @param orderBy comma-separated clauses, e.g. {@code metrics.acc DESC, attributes.start_time}; may be empty
     */
    public List<Run> search(String filter, String orderBy, int maxResults) {
        return search(RunQuery.builder()
                .filter(filter)
                .orderBy(orderBy)
                .maxResults(maxResults)
                .build());
    }

    public List<Run> search(RunQuery query) {
        List<String> experimentIds = query.experimentIds();
        if (experimentIds.isEmpty()) {
            experimentIds = experiments.list(query.viewType()).stream()
                    .map(ExperimentInfo::experimentId)
                    .toList();
            if (experimentIds.isEmpty()) {
                return List.of();
            }
        }
        List<Run> found = new ArrayList<>();
        String pageToken = "";
        do {
            JsonNode page = transport.post(
                    API + "runs/search",
                    searchBody(query, experimentIds, query.maxResults() - found.size(), pageToken),
                    true);
            page.path("runs").forEach(run -> found.add(MlflowJson.run(run)));
            pageToken = page.path("next_page_token").asText("");
        } while (!pageToken.isEmpty() && found.size() < query.maxResults());
        return found.size() > query.maxResults() ? found.subList(0, query.maxResults()) : found;
    }

    /** Every point of one metric of a run, in the server's order (by step, then timestamp). */
    public List<Metric> metricHistory(String runId, String key) {
        Experiments.requireText("run id", runId);
        Experiments.requireText("metric key", key);
        List<Metric> points = new ArrayList<>();
        String pageToken = "";
        do {
            JsonNode page = pageToken.isEmpty()
                    ? transport.get(
                            API + "metrics/get-history",
                            "run_id",
                            runId,
                            "metric_key",
                            key,
                            "max_results",
                            String.valueOf(HISTORY_PAGE))
                    : transport.get(
                            API + "metrics/get-history",
                            "run_id",
                            runId,
                            "metric_key",
                            key,
                            "max_results",
                            String.valueOf(HISTORY_PAGE),
                            "page_token",
                            pageToken);
            page.path("metrics").forEach(m -> points.add(MlflowJson.metric(m)));
            pageToken = page.path("next_page_token").asText("");
        } while (!pageToken.isEmpty());
        return points;
    }

    /** Marks a run deleted. */
    public void delete(String runId) {
        Experiments.requireText("run id", runId);
        transport.post(
                API + "runs/delete", JsonNodeFactory.instance.objectNode().put("run_id", runId), true);
    }

    public void restore(String runId) {
        Experiments.requireText("run id", runId);
        transport.post(
                API + "runs/restore", JsonNodeFactory.instance.objectNode().put("run_id", runId), true);
    }

    /** The direct children of {@code path} (empty for the root) in a run's artifacts. */
    public List<ArtifactFile> listArtifacts(String runId, String path) {
        Experiments.requireText("run id", runId);
        String relative = ArtifactPaths.relative(path);
        JsonNode listing = relative.isEmpty()
                ? transport.get(API + "artifacts/list", "run_id", runId)
                : transport.get(API + "artifacts/list", "run_id", runId, "path", relative);
        List<ArtifactFile> files = new ArrayList<>();
        listing.path("files").forEach(f -> files.add(MlflowJson.artifactFile(f)));
        return files;
    }

    /** The bytes of one artifact file; for small files, see {@link #downloadArtifact} for large ones. */
    public byte[] readArtifact(String runId, String path) {
        return transport.download(artifactEndpoint(runId, path));
    }

    /** Downloads one artifact file to {@code target}, replacing it. */
    public void downloadArtifact(String runId, String path, Path target) {
        transport.download(artifactEndpoint(runId, path), target);
    }

    private String artifactEndpoint(String runId, String path) {
        String relative = ArtifactPaths.relative(path);
        if (relative.isEmpty()) {
            throw CairnClientException.invalid("artifact path must name a file, was '" + path + "'");
        }
        return ArtifactPaths.endpoint(get(runId).info().artifactUri(), relative);
    }

    private static ObjectNode searchBody(RunQuery query, List<String> experimentIds, int remaining, String pageToken) {
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        ArrayNode ids = body.putArray("experiment_ids");
        experimentIds.forEach(ids::add);
        body.put("filter", query.filter());
        body.put("run_view_type", query.viewType().name());
        body.put("max_results", Math.min(remaining, SEARCH_PAGE));
        ArrayNode orderBy = body.putArray("order_by");
        query.orderBy().forEach(orderBy::add);
        if (!pageToken.isEmpty()) {
            body.put("page_token", pageToken);
        }
        return body;
    }
}
