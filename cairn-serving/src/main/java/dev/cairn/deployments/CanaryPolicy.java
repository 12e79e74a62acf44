package dev.cairn.deployments;

import dev.cairn.core.CairnException;

/**
 * When a canary is judged, and what happens then: it is rolled back when, over at least {@code
 * minRequests} requests within the last {@code windowSeconds}, its error rate exceeds {@code
 * maxErrorRate} or its p99 latency exceeds {@code maxP99Millis}; it is promoted once it has passed
 * with {@code promoteAfter} requests (0: never automatically).
 */
public record CanaryPolicy(
        double maxErrorRate,
        double maxP99Millis,
        int minRequests,
        long windowSeconds,
        int promoteAfter,
        boolean autoRollback) {

    public CanaryPolicy {
        CairnException.requireArgument(
                maxErrorRate >= 0 && maxErrorRate <= 1,
                "canary 'max_error_rate' must be in [0, 1], got " + maxErrorRate);
        CairnException.requireArgument(maxP99Millis > 0, "canary 'max_p99_millis' must be > 0, got " + maxP99Millis);
        CairnException.requireArgument(minRequests >= 1, "canary 'min_requests' must be >= 1, got " + minRequests);
        CairnException.requireArgument(
                windowSeconds >= 1, "canary 'window_seconds' must be >= 1, got " + windowSeconds);
        CairnException.requireArgument(
                promoteAfter == 0 || promoteAfter >= minRequests,
                "canary 'promote_after' must be 0 or >= min_requests (" + minRequests + "), got " + promoteAfter);
    }

    /** 5% errors, 1 s p99, judged after 50 requests in a 5-minute window, rolled back automatically, never promoted automatically. */
    public static CanaryPolicy defaults() {
        return new CanaryPolicy(0.05, 1000, 50, 300, 0, true);
    }
}
