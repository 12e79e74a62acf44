package dev.cairn.server;

import static dev.cairn.server.HttpCalls.json;
import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.store.Database;
import dev.cairn.store.StoreUrl;
import dev.cairn.tracking.TrackingStore;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A server in a separate JVM is killed with SIGKILL while clients log heavily; the store must then
 * open cleanly and hold every point whose batch was acknowledged.
 */
class KilledServerTest {
    private static final String API = "/api/2.0/mlflow/";
    private static final int CLIENTS = 4;
    private static final int POINTS_PER_BATCH = 50;
    private static final int BATCHES_BEFORE_KILL = 120;

    @TempDir
    Path home;

    @Test
    void sigkillDuringHeavyLoggingLosesNoAcknowledgedPoint() throws Exception {
        Process server = startServerProcess();
        try {
            HttpCalls http = new HttpCalls("http://127.0.0.1:" + awaitPort(server));
            String experimentId = http.post(API + "experiments/create", json(Map.of("name", "killed")))
                    .json()
                    .get("experiment_id")
                    .asText();
            String runId = http.post(API + "runs/create", json(Map.of("experiment_id", experimentId)))
                    .json()
                    .at("/run/info/run_id")
                    .asText();

            Set<Long> acknowledged = ConcurrentHashMap.newKeySet();
            ConcurrentLinkedQueue<String> refusals = new ConcurrentLinkedQueue<>();
            AtomicInteger batches = new AtomicInteger();
            List<Thread> clients = new ArrayList<>();
            for (int c = 0; c < CLIENTS; c++) {
                int client = c;
                Thread t = new Thread(() -> log(http, runId, client, acknowledged, refusals, batches));
                t.start();
                clients.add(t);
            }
            // Bounded wait for enough load, then SIGKILL mid-stream.
            for (int i = 0; i < 1200 && batches.get() < BATCHES_BEFORE_KILL; i++) {
                Thread.sleep(100);
            }
            assertThat(batches.get())
                    .as("batches acknowledged before the kill")
                    .isGreaterThanOrEqualTo(BATCHES_BEFORE_KILL);
            server.destroyForcibly();
            assertThat(server.waitFor(60, TimeUnit.SECONDS)).isTrue();
            for (Thread t : clients) {
                t.join(TimeUnit.SECONDS.toMillis(60));
            }
            assertThat(refusals).isEmpty();

            try (Database db = Database.open(StoreUrl.sqlite(home.resolve("cairn.db")))) {
                Set<Long> stored = new HashSet<>();
                TrackingStore.on(db).streamMetricHistory(runId, "loss", m -> stored.add(m.step()));
                assertThat(stored).containsAll(acknowledged);
            }
        } finally {
            server.destroyForcibly();
        }
    }

    private static void log(
            HttpCalls http,
            String runId,
            int client,
            Set<Long> acknowledged,
            ConcurrentLinkedQueue<String> refusals,
            AtomicInteger batches) {
        for (int b = 0; b < 100_000; b++) {
            List<Map<String, Object>> metrics = new ArrayList<>();
            List<Long> steps = new ArrayList<>();
            for (int p = 0; p < POINTS_PER_BATCH; p++) {
                long step = client * 10_000_000L + (long) b * POINTS_PER_BATCH + p;
                steps.add(step);
                metrics.add(Map.of("key", "loss", "value", p * 0.5, "timestamp", 1000 + step, "step", step));
            }
            HttpCalls.Answer answer;
            try {
                answer = http.post(API + "runs/log-batch", json(Map.of("run_id", runId, "metrics", metrics)));
            } catch (UncheckedIOException e) {
                return; // the server is gone
            }
            if (answer.status() != 200) {
                refusals.add(answer.status() + " " + answer.body());
                return;
            }
            acknowledged.addAll(steps);
            batches.incrementAndGet();
        }
    }

    private Process startServerProcess() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder builder = new ProcessBuilder(
                java,
                "-Xmx512m",
                "-cp",
                System.getProperty("java.class.path"),
                ServerProcess.class.getName(),
                home.toString());
        builder.environment().put("CAIRN_LOG_LEVEL", "WARN");
        builder.redirectErrorStream(true);
        builder.redirectOutput(home.resolve("server.log").toFile());
        return builder.start();
    }

    private int awaitPort(Process server) throws Exception {
        Path portFile = home.resolve("port");
        for (int i = 0; i < 600 && !Files.exists(portFile); i++) {
            assertThat(server.isAlive())
                    .as("server process alive; log: %s", home.resolve("server.log"))
                    .isTrue();
            Thread.sleep(100);
        }
        return Integer.parseInt(Files.readString(portFile).trim());
    }
}
