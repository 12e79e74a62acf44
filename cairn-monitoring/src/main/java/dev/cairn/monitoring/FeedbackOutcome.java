package dev.cairn.monitoring;

import java.util.List;

/**
 * What a feedback batch did: labels stored, labels for request ids already labeled (kept as first
 * given: feedback is idempotent per request id), and request ids the inference log does not know.
 */
public record FeedbackOutcome(int accepted, int duplicates, List<String> unknown) {
    public FeedbackOutcome {
        unknown = List.copyOf(unknown);
    }
}
