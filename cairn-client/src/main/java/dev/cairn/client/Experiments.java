package dev.cairn.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The experiments of a server: list, look up, create, delete and restore. */
public final class Experiments {
    private static final String API = "/api/2.0/mlflow/experiments/";
    private static final int PAGE = 1000;

    private final RestTransport transport;

    Experiments(RestTransport transport) {
        this.transport = transport;
    }

    /** All experiments in the given lifecycle view, following pages. */
    public List<ExperimentInfo> list(ViewType viewType) {
        List<ExperimentInfo> all = new ArrayList<>();
        String pageToken = "";
        do {
            ObjectNode body = JsonNodeFactory.instance
                    .objectNode()
                    .put("max_results", PAGE)
                    .put("view_type", viewType.name());
            if (!pageToken.isEmpty()) {
                body.put("page_token", pageToken);
            }
            JsonNode page = transport.post(API + "search", body, true);
            page.path("experiments").forEach(e -> all.add(MlflowJson.experiment(e)));
            pageToken = page.path("next_page_token").asText("");
        } while (!pageToken.isEmpty());
        return all;
    }

    /** The active experiments. */
    public List<ExperimentInfo> list() {
        return list(ViewType.ACTIVE_ONLY);
    }

    public Optional<ExperimentInfo> byName(String name) {
        requireText("experiment name", name);
        try {
            JsonNode found = transport.get(API + "get-by-name", "experiment_name", name);
            return Optional.of(MlflowJson.experiment(found.path("experiment")));
        } catch (CairnClientException e) {
            if (e.isNotFound()) {
                return Optional.empty();
            }
            throw e;
        }
    }

    public Optional<ExperimentInfo> byId(String experimentId) {
        requireText("experiment id", experimentId);
        try {
            JsonNode found = transport.get(API + "get", "experiment_id", experimentId);
            return Optional.of(MlflowJson.experiment(found.path("experiment")));
        } catch (CairnClientException e) {
            // a malformed id names no experiment either
            if (e.isNotFound() || "INVALID_PARAMETER_VALUE".equals(e.errorCode())) {
                return Optional.empty();
            }
            throw e;
        }
    }

    /** The experiment named {@code nameOrId}, else the one with that id; fails when neither exists. */
    public ExperimentInfo resolve(String nameOrId) {
        return byName(nameOrId)
                .or(() -> byId(nameOrId))
                .orElseThrow(() -> new CairnClientException(
                        "RESOURCE_DOES_NOT_EXIST", 404, "no experiment named or numbered '" + nameOrId + "'"));
    }

    /** Creates an experiment; fails with {@code RESOURCE_ALREADY_EXISTS} when the name is taken. */
    public ExperimentInfo create(String name) {
        requireText("experiment name", name);
        // not idempotent: a timed-out create that did happen would otherwise fail as a duplicate
        JsonNode created = transport.post(
                API + "create", JsonNodeFactory.instance.objectNode().put("name", name), false);
        String id = created.path("experiment_id").asText("");
        return byId(id).orElseThrow(() -> new CairnClientException(
                "INTERNAL_ERROR", 0, "experiment '" + name + "' was created as " + id + " but cannot be read back"));
    }

    /** Marks an experiment and its runs deleted. */
    public void delete(String experimentId) {
        requireText("experiment id", experimentId);
        transport.post(API + "delete", JsonNodeFactory.instance.objectNode().put("experiment_id", experimentId), true);
    }

    public void restore(String experimentId) {
        requireText("experiment id", experimentId);
        transport.post(API + "restore", JsonNodeFactory.instance.objectNode().put("experiment_id", experimentId), true);
    }

    ExperimentInfo getOrCreate(String name) {
        Optional<ExperimentInfo> existing = byName(name);
        if (existing.isPresent()) {
            return requireActive(existing.get());
        }
        try {
            return create(name);
        } catch (CairnClientException e) {
            if (!"RESOURCE_ALREADY_EXISTS".equals(e.errorCode())) {
                throw e;
            }
            // another client created it between our lookup and our create
            return requireActive(byName(name).orElseThrow(() -> e));
        }
    }

    private static ExperimentInfo requireActive(ExperimentInfo experiment) {
        if (!experiment.isActive()) {
            throw new CairnClientException(
                    "INVALID_STATE",
                    0,
                    "experiment '" + experiment.name() + "' (id " + experiment.experimentId()
                            + ") is deleted; restore it or use another name");
        }
        return experiment;
    }

    static void requireText(String field, String value) {
        if (value == null || value.isBlank()) {
            throw CairnClientException.invalid(field + " must not be empty, was '" + value + "'");
        }
    }
}
