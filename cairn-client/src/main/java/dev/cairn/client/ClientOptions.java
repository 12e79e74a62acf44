package dev.cairn.client;

import java.time.Duration;

/**
 * Immutable settings of a {@link Cairn} client; {@link #defaults()} suits a server on the same
 * network, {@link #builder()} changes single settings.
 *
 * @param connectTimeout time to open a TCP connection (default 10 s)
 * @param requestTimeout time for one HTTP exchange, including artifact transfers (default 60 s)
 * @param maxAttempts tries per request on connection errors, timeouts, 5xx and 429 (default 6)
 * @param initialBackoff wait before the first retry; doubled on each further one (default 200 ms)
 * @param maxBackoff cap of the wait between retries (default 10 s)
 * @param queueCapacity metrics, params and tags buffered before a logging call blocks (default 10,000)
 */
public record ClientOptions(
        Duration connectTimeout,
        Duration requestTimeout,
        int maxAttempts,
        Duration initialBackoff,
        Duration maxBackoff,
        int queueCapacity) {

    public ClientOptions {
        requirePositive("connectTimeout", connectTimeout);
        requirePositive("requestTimeout", requestTimeout);
        requirePositive("initialBackoff", initialBackoff);
        requirePositive("maxBackoff", maxBackoff);
        if (maxAttempts < 1) {
            throw CairnClientException.invalid("maxAttempts must be at least 1, was " + maxAttempts);
        }
        if (queueCapacity < 1) {
            throw CairnClientException.invalid("queueCapacity must be at least 1, was " + queueCapacity);
        }
    }

    public static ClientOptions defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder starting from these options. */
    public Builder toBuilder() {
        return new Builder()
                .connectTimeout(connectTimeout)
                .requestTimeout(requestTimeout)
                .maxAttempts(maxAttempts)
                .initialBackoff(initialBackoff)
                .maxBackoff(maxBackoff)
                .queueCapacity(queueCapacity);
    }

    private static void requirePositive(String field, Duration value) {
        if (value == null || value.isNegative() || value.isZero()) {
            throw CairnClientException.invalid(field + " must be a positive duration, was " + value);
        }
    }

    /** Builds {@link ClientOptions}; every setting starts at its documented default. */
    public static final class Builder {
        private Duration connectTimeout = Duration.ofSeconds(10);
        private Duration requestTimeout = Duration.ofSeconds(60);
        private int maxAttempts = 6;
        private Duration initialBackoff = Duration.ofMillis(200);
        private Duration maxBackoff = Duration.ofSeconds(10);
        private int queueCapacity = 10_000;

        private Builder() {}

        public Builder connectTimeout(Duration value) {
            this.connectTimeout = value;
            return this;
        }

        public Builder requestTimeout(Duration value) {
            this.requestTimeout = value;
            return this;
        }

        public Builder maxAttempts(int value) {
            this.maxAttempts = value;
            return this;
        }

        public Builder initialBackoff(Duration value) {
            this.initialBackoff = value;
            return this;
        }

        public Builder maxBackoff(Duration value) {
            this.maxBackoff = value;
            return this;
        }

        public Builder queueCapacity(int value) {
            this.queueCapacity = value;
            return this;
        }

        public ClientOptions build() {
            return new ClientOptions(
                    connectTimeout, requestTimeout, maxAttempts, initialBackoff, maxBackoff, queueCapacity);
        }
    }
}
