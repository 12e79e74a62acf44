package dev.cairn.serving;

import dev.cairn.core.CairnException;
import java.time.Duration;

/**
 * How the engine serves and logs; build with {@link #builder()}, every option has a default.
 *
 * @param batching when to micro-batch: {@link Batching#AUTO} (default) for every model whose
 *     inputs stack along a free first dimension. While fewer requests than cores are running, a
 *     request runs on its own thread, so batching only engages when more arrive at once, where one
 *     predict call per batch pays: about 2-3x the requests/s for ONNX Runtime at 32 connections,
 *     even for the XGBoost trees walked in Java
 * @param maxBatchSize the most requests merged into one predict call (default 32)
 * @param maxBatchDelay how long a batch that already has company waits for more (default 200 µs)
 * @param maxQueue the most requests waiting or running per model version before new ones get
 *     TEMPORARILY_UNAVAILABLE (default 512)
 * @param logSampleRate the share of requests written to the inference log, 0 to 1 (default 1)
 * @param logQueueCapacity the most log records waiting for the writer; more are dropped and counted
 *     (default 10,000)
 * @param logBatchSize the most records written in one transaction (default 500)
 * @param logFlushInterval how long the writer gathers records before it writes them (default 10 ms):
 *     one commit of many records costs a fraction of many small ones, but a long transaction holds
 *     a core while requests wait for it, so batches are kept to what arrives in about 10 ms
 */
public record ServingConfig(
        Batching batching,
        int maxBatchSize,
        Duration maxBatchDelay,
        int maxQueue,
        double logSampleRate,
        int logQueueCapacity,
        int logBatchSize,
        Duration logFlushInterval) {

    /** When the engine merges concurrent requests into one predict call. */
    public enum Batching {
        /** Never. */
        OFF,
        /** For every model whose inputs can be stacked, with a lone request run on its caller's thread. */
        AUTO,
        /** As {@link #AUTO}: kept for configurations that name it. */
        ALWAYS
    }

    public ServingConfig {
        CairnException.requireArgument(batching != null, "batching is required");
        CairnException.requireArgument(maxBatchSize >= 1, "maxBatchSize must be at least 1, got " + maxBatchSize);
        CairnException.requireArgument(
                !maxBatchDelay.isNegative(), "maxBatchDelay must not be negative, got " + maxBatchDelay);
        CairnException.requireArgument(maxQueue >= 1, "maxQueue must be at least 1, got " + maxQueue);
        CairnException.requireArgument(
                logSampleRate >= 0 && logSampleRate <= 1, "logSampleRate must be in [0, 1], got " + logSampleRate);
        CairnException.requireArgument(
                logQueueCapacity >= 1, "logQueueCapacity must be at least 1, got " + logQueueCapacity);
        CairnException.requireArgument(logBatchSize >= 1, "logBatchSize must be at least 1, got " + logBatchSize);
        CairnException.requireArgument(
                logFlushInterval.toMillis() >= 1, "logFlushInterval must be at least 1 ms, got " + logFlushInterval);
    }

    public static ServingConfig defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Builds a {@link ServingConfig}; starts from the defaults. */
    public static final class Builder {
        private Batching batching = Batching.AUTO;
        private int maxBatchSize = 32;
        private Duration maxBatchDelay = Duration.ofNanos(200_000);
        private int maxQueue = 512;
        private double logSampleRate = 1.0;
        private int logQueueCapacity = 10_000;
        private int logBatchSize = 500;
        private Duration logFlushInterval = Duration.ofMillis(10);

        private Builder() {}

        public Builder batching(Batching value) {
            batching = value;
            return this;
        }

        public Builder maxBatchSize(int value) {
            maxBatchSize = value;
            return this;
        }

        public Builder maxBatchDelay(Duration value) {
            maxBatchDelay = value;
            return this;
        }

        public Builder maxQueue(int value) {
            maxQueue = value;
            return this;
        }

        public Builder logSampleRate(double value) {
            logSampleRate = value;
            return this;
        }

        public Builder logQueueCapacity(int value) {
            logQueueCapacity = value;
            return this;
        }

        public Builder logBatchSize(int value) {
            logBatchSize = value;
            return this;
        }

        public Builder logFlushInterval(Duration value) {
            logFlushInterval = value;
            return this;
        }

        public ServingConfig build() {
            return new ServingConfig(
                    batching,
                    maxBatchSize,
                    maxBatchDelay,
                    maxQueue,
                    logSampleRate,
                    logQueueCapacity,
                    logBatchSize,
                    logFlushInterval);
        }
    }
}
