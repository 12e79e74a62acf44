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
            description = "Share of predictions written to the inference log, 0 to 1 (default: ${DEFAULT-VALUE})."
                    + " Drift and performance monitors and automatic canary rollback see only that share;"
                    + " 0 turns the log off, and them with it.")
    private double sampleRate;

    /** The serving configuration with these options and every other default. */
    ServingConfig serving() {
        // Checked here as well as in ServingConfig, so that the message names the option.
        if (!(sampleRate >= 0 && sampleRate <= 1)) {
            throw CairnException.invalid("--log-sample-rate must be between 0 and 1, got " + sampleRate);
        }
        return ServingConfig.builder().logSampleRate(sampleRate).build();
    }
}
