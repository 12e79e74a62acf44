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

    /**
     * Starts a run with a name the server picks, recording its provenance (see {@link RunStarter});
     * {@code newRun().withoutProvenance().start()} opts out.
     */
    public ActiveRun startRun() {
        return newRun().start();
    }

    /** Starts a named run, recording its provenance. */
    public ActiveRun startRun(String runName) {
        return newRun().name(runName).start();
    }

    /** Options for a run to start: name, declared seeds, provenance or not. */
    public RunStarter newRun() {
        return new RunStarter(cairn, id(), Map.of());
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
