package dev.cairn.deployments;

/** What the canary judge measured for one canary version of a deployment, and what it decided. */
public record CanaryVerdict(
        String deployment, String version, long requests, double errorRate, double p99Millis, Outcome outcome) {

    /** The judge's decision. */
    public enum Outcome {
        /** Too few requests in the window to judge. */
        WAITING,
        /** Within the policy; not (yet) promoted. */
        PASSING,
        PROMOTED,
        ROLLED_BACK
    }

    /** The measured numbers in words, for the history's reason. */
    public String describe(CanaryPolicy policy) {
        return String.format(
                java.util.Locale.ROOT,
                "canary '%s': error rate %.4f (max %.4f), p99 latency %.3f ms (max %.3f ms) over %d requests",
                version,
                errorRate,
                policy.maxErrorRate(),
                p99Millis,
                policy.maxP99Millis(),
                requests);
    }
}
