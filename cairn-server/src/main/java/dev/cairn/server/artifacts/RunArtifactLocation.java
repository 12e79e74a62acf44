package dev.cairn.server.artifacts;

import dev.cairn.artifacts.ArtifactPath;
import dev.cairn.artifacts.ArtifactRoot;
import dev.cairn.core.CairnException;
import dev.cairn.core.ErrorCode;
import dev.cairn.tracking.LifecycleStage;
import dev.cairn.tracking.RunInfo;
import dev.cairn.tracking.TrackingStore;

/**
 * A checked proxy path {@code <experiment_id>/<run_id>/artifacts/<rel>}: the run exists, belongs to
 * that experiment, and {@code rel} is confined to the run's server-generated root.
 */
record RunArtifactLocation(RunInfo run, ArtifactRoot root, ArtifactPath relative) {
    private static final int ROOT_SEGMENTS = 3;

    /** Resolves a proxy path against the tracking store; 404 when the run is unknown. */
    static RunArtifactLocation resolve(TrackingStore tracking, ArtifactPath full) {
        if (full.segments().size() < ROOT_SEGMENTS || !full.segments().get(2).equals("artifacts")) {
            throw CairnException.invalid("Invalid artifact path '" + full.value()
                    + "': it must start with <experiment_id>/<run_id>/artifacts");
        }
        String experimentId = full.segments().get(0);
        String runId = full.segments().get(1);
        ArtifactRoot root = ArtifactRoot.ofRun(experimentId, runId);
        RunInfo run = tracking.getRun(runId).info();
        if (!run.experimentId().equals(experimentId)) {
            throw CairnException.notFound("Run '" + runId + "' does not belong to experiment '" + experimentId + "'");
        }
        return new RunArtifactLocation(run, root, full.relativeTo(root.path()));
    }

    /** The same location for a run named by id, as {@code artifacts/list} and {@code get-artifact} name it. */
    static RunArtifactLocation ofRun(TrackingStore tracking, String runId, ArtifactPath relative) {
        RunInfo run = tracking.getRun(runId).info();
        return new RunArtifactLocation(run, ArtifactRoot.ofRun(run.experimentId(), run.runId()), relative);
    }

    /** Uploads go only to live runs: a deleted run's tree is frozen until it is restored. */
    RunArtifactLocation requireWritable() {
        if (run.lifecycleStage() != LifecycleStage.ACTIVE) {
            throw new CairnException(
                    ErrorCode.INVALID_STATE,
                    "The run " + run.runId() + " must be in the 'active' state. Current state is "
                            + run.lifecycleStage().wireName() + ".");
        }
        return this;
    }
}
