package dev.cairn.bench;

import java.io.IOException;
import java.net.ConnectException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Launches a fresh {@code cairn server} process (own home, own SQLite store), measures the time from
 * launch to the first answered {@code /health}, reads its resident memory once it is idle, and stops it.
 */
final class ServerLaunch {
    private static final long START_LIMIT_NANOS = TimeUnit.SECONDS.toNanos(120);

    /** One launch: milliseconds to the first answer, CPU milliseconds spent by then, idle resident memory in MiB. */
    record Figures(double startMillis, double startCpuMillis, double idleRssMiB) {}

    private final List<String> javaCommand;
    private final Path work;

    /** {@code javaCommand} runs the cairn command line, e.g. {@code [java, -jar, cairn-cli.jar]}. */
    ServerLaunch(List<String> javaCommand, Path work) {
        this.javaCommand = List.copyOf(javaCommand);
        this.work = work;
    }

    Figures launch(int index, long idleMillis) throws IOException, InterruptedException {
        Path home = Files.createDirectories(work.resolve("launch-" + index));
        int port = freePort();
        List<String> command = new ArrayList<>(javaCommand);
        command.addAll(List.of(
                "server",
                "--host",
                "127.0.0.1",
                "--port",
                Integer.toString(port),
                "--store",
                "sqlite://" + home.resolve("cairn.db"),
                "--artifacts",
                home.resolve("artifacts").toString()));
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(home.resolve("server.log").toFile());
        builder.environment().put("CAIRN_HOME", home.toString());
        long began = System.nanoTime();
        Process process = builder.start();
        try {
            awaitHealth(process, port, began);
            double startMillis = (System.nanoTime() - began) / 1e6;
            double startCpuMillis = CpuMeter.serverCpuNanos(process.pid()) / 1e6;
            Thread.sleep(idleMillis);
            return new Figures(startMillis, startCpuMillis, ProcStatus.rssMiB(process.pid()));
        } finally {
            stop(process);
        }
    }

    private static void awaitHealth(Process process, int port, long began) throws IOException, InterruptedException {
        while (System.nanoTime() - began < START_LIMIT_NANOS) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the server exited with " + process.exitValue() + " during start-up");
            }
            try (HttpConnection c = HttpConnection.open("127.0.0.1", port)) {
                if (c.get("/health").status() == 200) {
                    return;
                }
            } catch (ConnectException notYetListening) {
                // polled again below
            }
            Thread.sleep(2);
        }
        throw new IllegalStateException("the server did not answer /health within 120 s");
    }

    private static void stop(Process process) throws InterruptedException {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
