package dev.cairn.server;

import static dev.cairn.server.HttpCalls.json;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A small load driver for a running server: {@code TrackingLoad <base url>} prints single
 * log-metric throughput with 16 clients, log-batch ingest of 1000-point batches, runs/get under
 * 16 clients and a 10,000-point metric history read.
 */
public final class TrackingLoad {
    private static final String API = "/api/2.0/mlflow/";

    private TrackingLoad() {}

    public static void main(String[] args) throws Exception {
        HttpCalls http = new HttpCalls(args[0]);
        String experimentId = http.post(API + "experiments/create", json(Map.of("name", "load-" + System.nanoTime())))
                .json()
                .get("experiment_id")
                .asText();
        String runId = http.post(API + "runs/create", json(Map.of("experiment_id", experimentId)))
                .json()
                .at("/run/info/run_id")
                .asText();
        AtomicInteger step = new AtomicInteger();
        measure(
                "log-metric, 16 clients",
                16,
                4000,
                () -> ok(http.post(
                        API + "runs/log-metric",
                        json(Map.of(
                                "run_id",
                                runId,
                                "key",
                                "single",
                                "value",
                                0.5,
                                "timestamp",
                                1,
                                "step",
                                step.incrementAndGet())))));
        AtomicInteger batch = new AtomicInteger();
        double batches = measure("log-batch 1000 points, 4 clients", 4, 100, () -> {
            int b = batch.incrementAndGet();
            List<Map<String, Object>> metrics = new ArrayList<>();
            for (int i = 0; i < 1000; i++) {
                metrics.add(Map.of("key", "loss", "value", i * 0.1, "timestamp", 1, "step", b * 1000 + i));
            }
            ok(http.post(API + "runs/log-batch", json(Map.of("run_id", runId, "metrics", metrics))));
        });
        System.out.printf("  = %.0f points/s%n", batches * 1000);
        measure("runs/get, 16 clients", 16, 10000, () -> ok(http.get(API + "runs/get?run_id=" + runId)));
        measure(
                "metrics/get-history of 10,000+ points",
                1,
                20,
                () -> ok(http.get(API + "metrics/get-history?run_id=" + runId + "&metric_key=loss")));
    }

    private static void ok(HttpCalls.Answer answer) {
        if (answer.status() != 200) {
            throw new IllegalStateException(answer.status() + " " + answer.body());
        }
    }

    private static double measure(String name, int clients, int calls, Runnable call) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        try {
            for (int i = 0; i < Math.min(calls / 10, 200); i++) {
                call.run();
            }
            AtomicInteger left = new AtomicInteger(calls);
            long start = System.nanoTime();
            List<Future<?>> futures = new ArrayList<>();
            for (int c = 0; c < clients; c++) {
                futures.add(pool.submit(() -> {
                    while (left.decrementAndGet() >= 0) {
                        call.run();
                    }
                }));
            }
            for (Future<?> f : futures) {
                f.get();
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            double rate = calls / seconds;
            System.out.printf(
                    "%s: %d calls in %.2f s = %.0f calls/s, %.2f ms/call%n",
                    name, calls, seconds, rate, 1000.0 * seconds * clients / calls);
            return rate;
        } finally {
            pool.shutdownNow();
        }
    }
}
