package dev.cairn.cli;

import picocli.CommandLine;

/** Runs {@code cairn pipeline ...} alone in a JVM of its own, for tests that kill that JVM. */
final class PipelineCommandMain {
    private PipelineCommandMain() {}

    public static void main(String[] args) {
        System.exit(new CommandLine(new PipelineCommand()).execute(args));
    }
}
