package dev.cairn.pipelines.execution;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * One attempt of a command step: a subprocess with its own working directory and environment,
 * stdout copied to a file line by line (and handed to a line consumer), stderr to a file. A time
 * limit or a cancellation kills the whole process tree.
 */
final class StepProcess {
    private static final File DEV_NULL = new File("/dev/null");

    private final Process process;
    private final Thread pump;
    private volatile boolean killed;

    /** How an attempt ended. */
    record Outcome(int exitCode, boolean timedOut, boolean killed) {}

    private StepProcess(Process process, Thread pump) {
        this.process = process;
        this.pump = pump;
    }

    static StepProcess start(
            List<String> argv, Path workDir, Map<String, String> env, Path stdout, Path stderr, Consumer<String> lines)
            throws IOException {
        ProcessBuilder builder = new ProcessBuilder(argv)
                .directory(workDir.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(DEV_NULL))
                .redirectError(stderr.toFile());
        builder.environment().putAll(env);
        Process process = builder.start();
        Thread pump = new Thread(() -> copyLines(process, stdout, lines), "step-stdout-" + process.pid());
        pump.setDaemon(true);
        pump.start();
        return new StepProcess(process, pump);
    }

    /** Waits for the process, killing its tree when {@code timeout} passes. */
    Outcome await(Optional<Duration> timeout) throws InterruptedException {
        boolean exited = timeout.isEmpty()
                ? waitForever()
                : process.waitFor(timeout.get().toMillis(), TimeUnit.MILLISECONDS);
        if (!exited) {
            kill();
            process.waitFor();
        }
        // Output may still be in flight after exit; a tree member that escaped keeps the pipe open, so bound the wait.
        pump.join(5_000);
        return new Outcome(process.exitValue(), !exited, killed);
    }

    /** Kills the process and every descendant (children first, so that none is re-parented and lost). */
    void kill() {
        killed = true;
        for (int round = 0; round < 2; round++) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
        }
    }

    private boolean waitForever() throws InterruptedException {
        process.waitFor();
        return true;
    }

    private static void copyLines(Process process, Path stdout, Consumer<String> lines) {
        try (BufferedReader in =
                        new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
                BufferedWriter out = Files.newBufferedWriter(stdout, StandardCharsets.UTF_8)) {
            for (String line; (line = in.readLine()) != null; ) {
                out.write(line);
                out.write('\n');
                try {
                    lines.accept(line);
                } catch (RuntimeException e) {
                    // Reading must go on whatever the consumer does, or the process blocks on a full pipe.
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot copy the output of process " + process.pid(), e);
        }
    }
}
