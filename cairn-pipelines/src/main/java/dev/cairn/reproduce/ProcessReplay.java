package dev.cairn.reproduce;

import dev.cairn.core.CairnException;
import dev.cairn.core.ErrorCode;
import dev.cairn.tracking.Run;
import dev.cairn.tracking.RunSearch;
import dev.cairn.tracking.TrackingStore;
import dev.cairn.tracking.ViewType;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Re-runs the command line of a run started by a process (the SDK's {@code startRun()}) in the code
 * checkout: same arguments, with paths that named the recorded repository mapped into the
 * checkout, and {@value #REPRODUCTION_OF_VARIABLE} set so that the SDK tags the run it starts with
 * the run it reproduces.
 */
final class ProcessReplay {
    /** The variable through which the SDK learns which run its new run reproduces. */
    static final String REPRODUCTION_OF_VARIABLE = "CAIRN_REPRODUCTION_OF";

    private ProcessReplay() {}

    static StepReplay.Outcome replay(
            TrackingStore tracking, RecordedRun run, CodeCheckout code, Map<String, String> environment) {
        List<String> command = run.provenance().commandLine();
        if (command.isEmpty()) {
            throw new CairnException(
                    ErrorCode.INVALID_STATE,
                    "run " + run.id() + " recorded no command line: there is nothing to re-run");
        }
        String from = code.repository().toString();
        String to = code.root().toString();
        List<String> argv = command.stream().map(a -> a.replace(from, to)).toList();
        Path log = code.scratch("process").resolve("output.log");
        ProcessBuilder builder = new ProcessBuilder(argv)
                .directory(code.workingDirectory().toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        builder.environment().putAll(environment);
        builder.environment().put(REPRODUCTION_OF_VARIABLE, run.id());
        int exit;
        try {
            Process process = builder.start();
            process.getOutputStream().close();
            exit = process.waitFor();
        } catch (IOException e) {
            return new StepReplay.Outcome(
                    Optional.empty(),
                    Optional.of("the command " + argv.get(0) + " could not start: " + e.getMessage()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CairnException(ErrorCode.INTERNAL_ERROR, "interrupted while re-running run " + run.id(), e);
        }
        if (exit != 0) {
            return new StepReplay.Outcome(
                    Optional.empty(), Optional.of("the command exited with code " + exit + lastLine(log)));
        }
        Optional<String> started = reproducedRun(tracking, run);
        return started.isPresent()
                ? new StepReplay.Outcome(started, Optional.empty())
                : new StepReplay.Outcome(
                        Optional.empty(),
                        Optional.of("the command succeeded but started no run tagged " + StepReplay.REPRODUCTION_OF_TAG
                                + "=" + run.id() + " (does it start its run through the Cairn SDK, with"
                                + " CAIRN_TRACKING_URI pointing at this store's server?)"));
    }

    private static Optional<String> reproducedRun(TrackingStore tracking, RecordedRun run) {
        String filter = "tags.`" + StepReplay.REPRODUCTION_OF_TAG + "` = '" + run.id() + "'";
        List<Run> found = tracking.searchRuns(new RunSearch(
                        List.of(run.run().info().experimentId()),
                        filter,
                        ViewType.ACTIVE_ONLY,
                        1,
                        List.of("attributes.start_time DESC"),
                        Optional.empty()))
                .items();
        return found.stream().map(r -> r.info().runId()).findFirst();
    }

    private static String lastLine(Path log) {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            for (int i = lines.size() - 1; i >= 0; i--) {
                if (!lines.get(i).isBlank()) {
                    return ": " + lines.get(i).strip();
                }
            }
        } catch (IOException e) {
            // The exit code says what matters; the output is a courtesy.
        }
        return "";
    }
}
