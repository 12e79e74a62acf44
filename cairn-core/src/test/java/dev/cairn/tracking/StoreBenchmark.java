package dev.cairn.tracking;

import dev.cairn.store.Database;
import dev.cairn.store.TestDatabases;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Measures the tracking store directly (no HTTP): metric ingest through log-batch, run search
 * with joins on latest metrics and params, and metric history reads. A {@code main}, not a test:
 *
 * <pre>
 * java -cp ... dev.cairn.tracking.StoreBenchmark [sqlite|postgresql]
 * </pre>
 */
public final class StoreBenchmark {
    private static final int RUNS = 10_000;
    private static final int HISTORY_POINTS = 10_000;

    private StoreBenchmark() {}

    public static void main(String[] args) throws Exception {
        String kind = args.length > 0 ? args[0] : "sqlite";
        try (Database db = kind.equals("postgresql") ? TestDatabases.postgresql() : TestDatabases.sqlite()) {
            TrackingStore store = TrackingStore.on(db);
            System.out.println("store: " + db.dialect() + " " + db.url());
            ingest(store, 1);
            ingest(store, 4);
            search(store, db);
            history(store);
        }
    }

    /** Log-batch of 1000 metrics per call (10 keys x 100 steps), from {@code threads} clients. */
    private static void ingest(TrackingStore store, int threads) throws Exception {
        int callsPerThread = 200 / threads;
        List<String> runs = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            runs.add(store.createRun(new NewRun("0", "bench", 1, Optional.of("ingest-" + t), List.of()))
                    .info()
                    .runId());
        }
        oneBatch(store, runs.get(0), 1_000_000); // warm-up
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        long cpuStart = processCpuNanos();
        long start = System.nanoTime();
        List<Future<?>> futures = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            String runId = runs.get(t);
            futures.add(pool.submit(() -> {
                for (int call = 0; call < callsPerThread; call++) {
                    oneBatch(store, runId, call);
                }
            }));
        }
        for (Future<?> future : futures) {
            future.get();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        double cpuSeconds = (processCpuNanos() - cpuStart) / 1e9;
        pool.shutdown();
        long points = (long) threads * callsPerThread * 1000;
        System.out.printf(
                Locale.ROOT,
                "log-batch 1000 metrics/call, %d client(s): %,d points in %.2f s = %,.0f points/s"
                        + " (process CPU %.2f s = %,.0f points per CPU-second)%n",
                threads,
                points,
                seconds,
                points / seconds,
                cpuSeconds,
                points / cpuSeconds);
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    private static void oneBatch(TrackingStore store, String runId, int call) {
        List<Metric> metrics = new ArrayList<>(1000);
        for (int k = 0; k < 10; k++) {
            for (int s = 0; s < 100; s++) {
                long step = (long) call * 100 + s;
                metrics.add(new Metric("metric_" + k, Math.sin(step + k), 1_700_000_000_000L + step, step));
            }
        }
        store.logBatch(runId, metrics, List.of(), List.of());
    }

    /** 10,000 runs x (5 params, 5 metrics); the filter matches about a quarter of them. */
    private static void search(TrackingStore store, Database db) throws Exception {
        String experiment = store.createExperiment("search-bench", Optional.empty(), List.of());
        ExecutorService pool = Executors.newFixedThreadPool(8);
        AtomicInteger next = new AtomicInteger();
        long start = System.nanoTime();
        List<Future<?>> futures = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
            futures.add(pool.submit(() -> {
                Random random = new Random(next.get());
                for (int i = next.getAndIncrement(); i < RUNS; i = next.getAndIncrement()) {
                    populate(store, experiment, random, i);
                }
            }));
        }
        for (Future<?> future : futures) {
            future.get();
        }
        pool.shutdown();
        System.out.printf(Locale.ROOT, "populated %,d runs in %.1f s%n", RUNS, (System.nanoTime() - start) / 1e9);
        db.write(h -> h.execute("ANALYZE"));
        RunSearch search = new RunSearch(
                List.of(experiment),
                "metrics.m1 > 0.5 and params.p1 = 'x'",
                ViewType.ACTIVE_ONLY,
                1000,
                List.of(),
                Optional.empty());
        int[] count = new int[1];
        report("search-runs (1000 of ~2500 matches, with params/tags/metrics)", 30, () -> {
            count[0] = store.searchRuns(search).items().size();
            return count[0];
        });
        RunSearch ordered = new RunSearch(
                List.of(experiment),
                "metrics.m1 > 0.5 and params.p1 = 'x'",
                ViewType.ACTIVE_ONLY,
                1000,
                List.of("metrics.m2 DESC"),
                Optional.empty());
        report("search-runs ordered by metrics.m2 DESC", 30, () -> store.searchRuns(ordered)
                .items()
                .size());
        System.out.println("  results per search: " + count[0]);
    }

    private static void populate(TrackingStore store, String experiment, Random random, int i) {
        String runId = store.createRun(new NewRun(experiment, "bench", 1_000_000L + i, Optional.of("r" + i), List.of()))
                .info()
                .runId();
        List<Metric> metrics = new ArrayList<>();
        List<Param> params = new ArrayList<>();
        for (int k = 1; k <= 5; k++) {
            metrics.add(new Metric("m" + k, random.nextDouble(), 1, 0));
            params.add(new Param("p" + k, k == 1 ? (random.nextBoolean() ? "x" : "y") : "v" + random.nextInt(10)));
        }
        store.logBatch(runId, metrics, params, List.of());
    }

    private static void history(TrackingStore store) {
        String runId = store.createRun(new NewRun("0", "bench", 1, Optional.of("history"), List.of()))
                .info()
                .runId();
        for (int call = 0; call < HISTORY_POINTS / 1000; call++) {
            List<Metric> metrics = new ArrayList<>();
            for (int s = 0; s < 1000; s++) {
                long step = (long) call * 1000 + s;
                metrics.add(new Metric("loss", 1.0 / (step + 1), 1_700_000_000_000L + step, step));
            }
            store.logBatch(runId, metrics, List.of(), List.of());
        }
        report("metric history, 10,000 points (page of 10,000)", 50, () -> store.metricHistory(
                        runId, "loss", HISTORY_POINTS, Optional.empty())
                .items()
                .size());
        int[] seen = new int[1];
        report("metric history, 10,000 points (streamed)", 50, () -> {
            seen[0] = 0;
            store.streamMetricHistory(runId, "loss", m -> seen[0]++);
            return seen[0];
        });
    }

    private static void report(String what, int iterations, Supplier<Integer> operation) {
        for (int i = 0; i < 10; i++) {
            operation.get();
        }
        double[] millis = new double[iterations];
        double[] cpuMillis = new double[iterations];
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        for (int i = 0; i < iterations; i++) {
            long cpu = threads.getCurrentThreadCpuTime();
            long start = System.nanoTime();
            operation.get();
            millis[i] = (System.nanoTime() - start) / 1e6;
            cpuMillis[i] = (threads.getCurrentThreadCpuTime() - cpu) / 1e6;
        }
        Arrays.sort(millis);
        Arrays.sort(cpuMillis);
        // Thread CPU time is reported beside wall time: it holds steady when other work shares the machine.
        System.out.printf(
                Locale.ROOT,
                "%s: median %.1f ms, p90 %.1f ms, min %.1f ms; thread CPU median %.1f ms (%d runs)%n",
                what,
                millis[iterations / 2],
                millis[(int) (iterations * 0.9)],
                millis[0],
                cpuMillis[iterations / 2],
                iterations);
    }
}
