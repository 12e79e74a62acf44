package dev.cairn.server;

import static dev.cairn.server.HttpCalls.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cairn.store.TestDatabases;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** 64 clients writing at once to one SQLite-backed server: no error reaches any of them, nothing is lost. */
class ConcurrentWritersTest {
    private static final int WRITERS = 64;
    private static final int BATCHES = 5;
    private static final int POINTS_PER_BATCH = 20;
    private static final String API = "/api/2.0/mlflow/";

    @TempDir
    Path home;

    @Test
    void sixtyFourConcurrentWritersSeeNoErrorAndLoseNothing() throws Exception {
        try (CairnServer server = TestServers.start(TestDatabases.Kind.SQLITE, home)) {
            HttpCalls http = new HttpCalls(server);
            String experimentId = http.post(API + "experiments/create", json(Map.of("name", "concurrent")))
                    .json()
                    .get("experiment_id")
                    .asText();
            ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
            CountDownLatch go = new CountDownLatch(1);
            ExecutorService pool = Executors.newFixedThreadPool(WRITERS);
            List<Future<String>> runs = new ArrayList<>();
            try {
                for (int w = 0; w < WRITERS; w++) {
                    int writer = w;
                    runs.add(pool.submit(() -> write(http, experimentId, writer, go, failures)));
                }
                go.countDown();
                List<String> runIds = new ArrayList<>();
                for (Future<String> run : runs) {
                    runIds.add(run.get());
                }
                assertThat(failures).isEmpty();
                for (String runId : runIds) {
                    JsonNode history = http.get(API + "metrics/get-history?run_id=" + runId + "&metric_key=loss")
                            .json();
                    assertThat(history.get("metrics")).hasSize(BATCHES * POINTS_PER_BATCH);
                    JsonNode run = http.get(API + "runs/get?run_id=" + runId).json();
                    assertThat(run.at("/run/data/params")).hasSize(BATCHES);
                }
            } finally {
                pool.shutdownNow();
            }
        }
    }

    private static String write(
            HttpCalls http, String experimentId, int writer, CountDownLatch go, ConcurrentLinkedQueue<String> failures)
            throws InterruptedException {
        go.await();
        HttpCalls.Answer created = http.post(
                API + "runs/create", json(Map.of("experiment_id", experimentId, "run_name", "writer-" + writer)));
        if (created.status() != 200) {
            failures.add("create: " + created.status() + " " + created.body());
            return "";
        }
        String runId = created.json().at("/run/info/run_id").asText();
        for (int b = 0; b < BATCHES; b++) {
            List<Map<String, Object>> metrics = new ArrayList<>();
            for (int p = 0; p < POINTS_PER_BATCH; p++) {
                int step = b * POINTS_PER_BATCH + p;
                metrics.add(Map.of("key", "loss", "value", 1.0 / (step + 1), "timestamp", 1000 + step, "step", step));
            }
            HttpCalls.Answer answer = http.post(
                    API + "runs/log-batch",
                    json(Map.of(
                            "run_id", runId,
                            "metrics", metrics,
                            "params", List.of(Map.of("key", "p" + b, "value", Integer.toString(b))))));
            if (answer.status() != 200) {
                failures.add("log-batch: " + answer.status() + " " + answer.body());
            }
        }
        return runId;
    }
}
