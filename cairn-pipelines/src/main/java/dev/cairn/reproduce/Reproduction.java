package dev.cairn.reproduce;

import java.util.List;

/**
 * The outcome of reproducing a run: the verdict, what was compared, and for a run that did not
 * reproduce, the likely causes.
 *
 * @param target what was asked for: a run id or {@code models:/NAME/VERSION}
 * @param runId the recorded run
 * @param reproducedRunIds the runs the reproduction made (one per re-executed step)
 * @param verdict IDENTICAL, EQUIVALENT or DIFFERENT
 * @param tolerance the relative tolerance metrics were compared with
 * @param artifacts every artifact compared, equal or not
 * @param metrics every metric compared, equal or not
 * @param causes why the reproduction differs (empty when IDENTICAL)
 */
public record Reproduction(
        String target,
        String runId,
        List<String> reproducedRunIds,
        Verdict verdict,
        double tolerance,
        List<Artifact> artifacts,
        List<Metric> metrics,
        List<Cause> causes) {
    public Reproduction {
        reproducedRunIds = List.copyOf(reproducedRunIds);
        artifacts = List.copyOf(artifacts);
        metrics = List.copyOf(metrics);
        causes = List.copyOf(causes);
    }

    /** How a reproduction compares with its record. */
    public enum Verdict {
        /** Every artifact hash is equal (model packages by content hash) and so is every metric. */
        IDENTICAL,
        /** Every metric is within the tolerance, though some artifact or metric differs. */
        EQUIVALENT,
        /** Something differs beyond the tolerance, or the re-run failed. */
        DIFFERENT;

        Verdict worst(Verdict other) {
            return compareTo(other) >= 0 ? this : other;
        }
    }

    /**
     * One artifact of the recorded run and of the reproduction.
     *
     * @param path the artifact path (for a model package, its directory)
     * @param comparedBy {@code sha256} of the bytes, or {@code model-content-hash} for a model package
     * @param recorded the recorded hash; empty when the recorded run has no such artifact
     * @param reproduced the reproduction's hash; empty when it has no such artifact
     */
    public record Artifact(String path, String comparedBy, String recorded, String reproduced) {
        public boolean equal() {
            return recorded.equals(reproduced);
        }
    }

    /**
     * One metric's latest value in the recorded run and in the reproduction.
     *
     * @param recorded NaN when the recorded run has no such metric
     * @param reproduced NaN when the reproduction has no such metric
     */
    public record Metric(String key, double recorded, double reproduced, boolean withinTolerance) {
        public boolean equal() {
            return Double.compare(recorded, reproduced) == 0;
        }
    }

    /**
     * A likely cause of a difference.
     *
     * @param kind {@code code}, {@code data}, {@code parameters}, {@code environment}, {@code execution}
     *     or {@code nondeterminism}
     * @param detail what differs, naming the file, input, parameter or jar
     */
    public record Cause(String kind, String detail) {}
}
