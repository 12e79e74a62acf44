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
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Re-runs the command line of a run started by a process (the SDK's {@code startRun()}) in the code
 * checkout: same arguments, with paths that named the recorded repository mapped into the
 * checkout, and {@value #REPRODUCTION_OF_VARIABLE} set so that the SDK tags the run it starts with
 * the run it reproduces. A command still running at the timeout is killed with its whole process tree.
 */
final class ProcessReplay {
    /** The variable through which the SDK learns which run its new run reproduces. */
    static final String REPRODUCTION_OF_VARIABLE = "CAIRN_REPRODUCTION_OF";

    private static final long STOP_WAIT_SECONDS = 30;

    private ProcessReplay() {}

    /** Re-runs the command; one still running after {@code timeout} is stopped with every process it started. */
    static StepReplay.Outcome replay(
            TrackingStore tracking,
            RecordedRun run,
            CodeCheckout code,
            Map<String, String> environment,
            Duration timeout) {
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
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                int stopped = stopTree(process);
                return new StepReplay.Outcome(
                        Optional.empty(),
                        Optional.of("the command did not finish within " + shown(timeout)
                                + " (--timeout) and was stopped, with the " + stopped
                                + " process(es) it had started" + lastLine(log)),
                        "timeout");
            }
            exit = process.exitValue();
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

    /** Kills the process and all its descendants; returns how many descendants there were. */
    private static int stopTree(Process process) throws InterruptedException {
        // Listed before the parent dies: orphans are no longer its descendants.
        List<ProcessHandle> descendants = process.descendants().toList();
        process.destroyForcibly();
        descendants.forEach(ProcessHandle::destroyForcibly);
        process.waitFor();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(STOP_WAIT_SECONDS);
        for (ProcessHandle p : descendants) {
            try {
                p.onExit().get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (ExecutionException | TimeoutException e) {
                // Sent SIGKILL; a process not reaped yet cannot run any more.
            }
        }
        return descendants.size();
    }

    /** {@code 1h30m}, {@code 2s}: as the option is written. */
    static String shown(Duration duration) {
        return duration.toString().substring(2).toLowerCase(java.util.Locale.ROOT);
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
