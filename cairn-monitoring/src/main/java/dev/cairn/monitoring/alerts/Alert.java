package dev.cairn.monitoring.alerts;

import java.time.Instant;
import java.util.Optional;

/** One firing of a monitor's rule, open until a window no longer breaches it. */
public record Alert(
        String id,
        String monitor,
        String rule,
        State state,
        double value,
        String message,
        Instant firedAt,
        Optional<Instant> resolvedAt) {
    /** Whether the rule still breaches. */
    public enum State {
        FIRING,
        RESOLVED
    }
}
