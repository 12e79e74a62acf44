package dev.cairn.client;

import java.util.List;
import java.util.Map;

/** An experiment on the server, from which runs are started. */
public final class Experiment {
    private final Cairn cairn;
    private final ExperimentInfo info;

    Experiment(Cairn cairn, ExperimentInfo info) {
        this.cairn = cairn;
        this.info = info;
    }

    public String id() {
        return info.experimentId();
    }

    public String name() {
        return info.name();
    }

    /** The experiment as the server reported it when this handle was made. */
    public ExperimentInfo info() {
        return info;
    }

    /** Starts a run with a name the server picks. */
    public ActiveRun startRun() {
        return ActiveRun.start(cairn, id(), "", Map.of());
    }

    public ActiveRun startRun(String runName) {
        Experiments.requireText("run name", runName);
        return ActiveRun.start(cairn, id(), runName, Map.of());
    }

    /**
     * Runs {@code body} in a new run and ends it FINISHED, or FAILED when {@code body} throws (the
     * exception is rethrown, a checked one wrapped in a {@link CairnClientException}).
     */
    public void run(String runName, RunBody body) {
        ActiveRun.runBody(startRun(runName), body);
    }

    /** This experiment's runs matching an MLflow filter, e.g. {@code metrics.acc > 0.9}. */
    public List<Run> searchRuns(String filter, String orderBy, int maxResults) {
        return cairn.runs()
                .search(RunQuery.builder()
                        .experimentId(id())
                        .filter(filter)
                        .orderBy(orderBy)
                        .maxResults(maxResults)
                        .build());
    }

    @Override
    public String toString() {
        return "Experiment[" + id() + ", " + name() + "]";
    }
}
