package dev.cairn.cli;

import dev.cairn.core.CairnException;
import dev.cairn.serving.ServingConfig;
import picocli.CommandLine.Option;

/** How the commands that serve models log their predictions for monitoring. */
final class InferenceLogOptions {
    @Option(
            names = "--log-sample-rate",
            paramLabel = "SHARE",
            defaultValue = "1",
            description = "Share of predictions written to the inference log that drift and performance monitoring"
                    + " read, 0 to 1; 0 turns the log off (default: ${DEFAULT-VALUE}).")
    private double sampleRate;

    /** The serving configuration with these options and every other default. */
    ServingConfig serving() {
        if (!(sampleRate >= 0 && sampleRate <= 1)) {
            throw CairnException.invalid("--log-sample-rate must be between 0 and 1, got " + sampleRate);
        }
        return ServingConfig.builder().logSampleRate(sampleRate).build();
    }
}
