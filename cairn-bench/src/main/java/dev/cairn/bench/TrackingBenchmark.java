package dev.cairn.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The tracking benchmark: drives a running Cairn server over loopback with the MLflow REST calls of
 * the published performance table and prints the figures as Markdown. Usage: {@code TrackingBenchmark
 * --url http://127.0.0.1:PORT --server-pid PID --launch "java -jar cairn-cli.jar" --work DIR [--quick]
 * [--only ingest,log-metric,search,history,get-run,start-up]}.
 */
public final class TrackingBenchmark {
    private final String host;
    private final int port;
    private final Scale scale;
    private final long serverPid;
    private final MlflowCalls mlflow = new MlflowCalls();
    private final ConcurrentLoad load;
    private String searchExperiment = "";

    private TrackingBenchmark(URI url, long serverPid, Scale scale) {
        this.serverPid = serverPid;
        this.host = url.getHost();
        this.port = url.getPort();
        this.scale = scale;
        this.load = new ConcurrentLoad(host, port);
    }

    public static void main(String[] args) throws Exception {
        Arguments arguments = Arguments.parse(args);
        TrackingBenchmark benchmark = new TrackingBenchmark(arguments.url(), arguments.serverPid(), arguments.scale());
        Set<String> only = arguments.only();
        List<Figure> figures = new ArrayList<>();
        if (only.contains("ingest")) {
            figures.add(phase("ingest", benchmark::ingest));
        }
        if (only.contains("log-metric")) {
            figures.add(phase("log-metric", benchmark::logMetric));
        }
        List<String> runIds = only.contains("search") || only.contains("get-run")
                ? phase("populate", benchmark::populateSearchRuns)
                : List.of();
        if (only.contains("search")) {
            figures.add(phase("search", benchmark::search));
        }
        if (only.contains("history")) {
            figures.add(phase("history", benchmark::history));
        }
        if (only.contains("get-run")) {
            figures.add(phase("get-run", () -> benchmark.getRun(runIds)));
        }
        double loadedRss = ProcStatus.rssMiB(arguments.serverPid());
        if (only.contains("start-up")) {
            ServerLaunch launch = new ServerLaunch(arguments.launch(), arguments.work());
            figures.add(phase("start-up", () -> benchmark.startup(launch)));
        }
        System.out.println();
        System.out.print(Figure.markdown(figures));
        System.out.println(Figure.format(
                "%nResident memory of the benchmarked server after all of the above: %.0f MiB.", loadedRss));
    }

    /** A step of the benchmark whose wall-clock span is logged, so that a profile can be cut by phase. */
    @FunctionalInterface
    private interface Phase<T> {
        T run() throws IOException, InterruptedException;
    }

    private static <T> T phase(String name, Phase<T> phase) throws IOException, InterruptedException {
        Instant began = Instant.now();
        T result = phase.run();
        System.err.println("phase " + name + ": " + began + " .. " + Instant.now());
        return result;
    }

    private Figure ingest() throws IOException {
        int clients = scale.ingestClients();
        int warm = scale.warmup(scale.ingestCalls());
        int timed = scale.ingestCalls();
        String experiment = createExperiment("ingest");
        String[] runs = new String[clients];
        byte[][][] bodies = new byte[clients][warm + timed][];
        long now = System.currentTimeMillis();
        try (HttpConnection c = connect()) {
            for (int client = 0; client < clients; client++) {
                runs[client] = mlflow.createRun(c, experiment, now);
                for (int i = 0; i < warm + timed; i++) {
                    bodies[client][i] = mlflow.metricBatch(runs[client], 1000, 10, i * 100L, now);
                }
            }
        }
        load.run(clients, warm, 120, (c, client, i) -> mlflow.post(c, "runs/log-batch", bodies[client][i]));
        String loadAverage = ProcStatus.loadAverage();
        CpuMeter cpu = CpuMeter.start(serverPid);
        ConcurrentLoad.Outcome outcome = load.run(
                clients, timed, 120, (c, client, i) -> mlflow.post(c, "runs/log-batch", bodies[client][warm + i]));
        String cpuPerCall = cpu.perCall(outcome.calls(), "call");
        requireStored(runs[0], "m0", (long) (warm + timed) * 100);
        double pointsPerSecond = outcome.perSecond(1000);
        return new Figure(
                "log-batch ingest, 1000 metrics per call",
                Figure.format("%,.0f points/s", pointsPerSecond),
                ">= 100,000 points/s",
                "~7,000 points/s",
                pointsPerSecond >= 100_000,
                loadAverage,
                Figure.format(
                        "%d clients, %,d calls, mean %.1f ms, p99 %.1f ms per call; %s",
                        clients,
                        outcome.calls(),
                        outcome.latencies().meanMillis(),
                        outcome.latencies().percentileMillis(99),
                        cpuPerCall));
    }

    private Figure logMetric() throws IOException {
        int clients = 16;
        int warm = scale.warmup(scale.logMetricCalls());
        String experiment = createExperiment("log-metric");
        String[] runs = new String[clients];
        try (HttpConnection c = connect()) {
            for (int client = 0; client < clients; client++) {
                runs[client] = mlflow.createRun(c, experiment, System.currentTimeMillis());
            }
        }
        long now = System.currentTimeMillis();
        load.run(clients, warm, 120, (c, client, i) -> logMetric(c, runs[client], i, now));
        String loadAverage = ProcStatus.loadAverage();
        CpuMeter cpu = CpuMeter.start(serverPid);
        ConcurrentLoad.Outcome outcome = load.run(
                clients, scale.logMetricCalls(), 120, (c, client, i) -> logMetric(c, runs[client], warm + i, now));
        double callsPerSecond = outcome.perSecond(1);
        Samples latencies = outcome.latencies();
        return new Figure(
                "single log-metric, 16 concurrent clients",
                Figure.format(
                        "%,.0f calls/s; mean %.1f ms, p50 %.1f ms, p99 %.1f ms",
                        callsPerSecond,
                        latencies.meanMillis(),
                        latencies.percentileMillis(50),
                        latencies.percentileMillis(99)),
                ">= 5,000 calls/s",
                "~100 calls/s, ~12 ms each",
                callsPerSecond >= 5_000,
                loadAverage,
                Figure.format("16 clients, %,d calls; %s", outcome.calls(), cpu.perCall(outcome.calls(), "call")));
    }

    private void logMetric(HttpConnection c, String runId, long step, long timestamp) throws IOException {
        String body = "{\"run_id\":\"" + runId + "\",\"key\":\"loss\",\"value\":" + (step % 100) / 100.0
                + ",\"timestamp\":" + timestamp + ",\"step\":" + step + "}";
        mlflow.post(c, "runs/log-metric", body.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Creates the searched runs: {@code p1 = 'x'} on 3 runs in 4 and {@code m1 > 0.5} on 2 in 3,
     * independently, so that half of the runs match the benchmark's filter.
     */
    private List<String> populateSearchRuns() throws IOException {
        searchExperiment = createExperiment("search");
        int clients = 8;
        int perClient = scale.searchRuns() / clients;
        String[][] ids = new String[clients][perClient];
        long base = System.currentTimeMillis() - scale.searchRuns();
        ConcurrentLoad.Outcome outcome = load.run(clients, perClient, 600, (c, client, i) -> {
            int n = client * perClient + i;
            String runId = mlflow.createRun(c, searchExperiment, base + n);
            ids[client][i] = runId;
            mlflow.post(c, "runs/log-batch", mlflow.paramsAndMetrics(runId, params(n), metrics(n), base));
        });
        if (outcome.calls() != (long) clients * perClient) {
            throw new IllegalStateException("only " + outcome.calls() + " searched runs were created in time");
        }
        return Arrays.stream(ids).flatMap(Arrays::stream).toList();
    }

    private static Map<String, String> params(int n) {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("p1", n % 4 != 3 ? "x" : "y");
        for (int k = 2; k <= 5; k++) {
            params.put("p" + k, "value-" + (n % (10 * k)));
        }
        return params;
    }

    private static Map<String, Double> metrics(int n) {
        Map<String, Double> metrics = new LinkedHashMap<>();
        metrics.put("m1", n % 3 != 0 ? 0.75 : 0.25);
        for (int k = 2; k <= 5; k++) {
            metrics.put("m" + k, (n * 31L % 1000) / 1000.0 * k);
        }
        return metrics;
    }

    private Figure search() throws IOException {
        String filter = "metrics.m1 > 0.5 and params.p1 = 'x'";
        byte[] body = mlflow.bytes(mlflow.object()
                .put("filter", filter)
                .put("max_results", 1000)
                .set("experiment_ids", mlflow.object().arrayNode().add(searchExperiment)));
        Samples latencies;
        String loadAverage;
        String cpuPerCall;
        HttpConnection.Response last;
        try (HttpConnection c = connect()) {
            for (int i = 0; i < scale.warmup(scale.searchRepetitions()); i++) {
                mlflow.post(c, "runs/search", body);
            }
            loadAverage = ProcStatus.loadAverage();
            CpuMeter cpu = CpuMeter.start(serverPid);
            long[] nanos = new long[scale.searchRepetitions()];
            last = null;
            for (int i = 0; i < nanos.length; i++) {
                long t0 = System.nanoTime();
                last = mlflow.post(c, "runs/search", body);
                nanos[i] = System.nanoTime() - t0;
            }
            latencies = Samples.of(nanos);
            cpuPerCall = cpu.perCall(nanos.length, "search");
        }
        int results = requireMatches(mlflow.parse(last).path("runs"));
        return new Figure(
                "search-runs, " + Figure.format("%,d", scale.searchRuns()) + " runs x (5 params, 5 metrics), `" + filter
                        + "`, 1000 results",
                Figure.format(
                        "%.1f ms median, %.1f ms p99", latencies.percentileMillis(50), latencies.percentileMillis(99)),
                "<= 30 ms",
                "~900 ms median",
                latencies.percentileMillis(50) <= 30,
                loadAverage,
                Figure.format(
                        "%d repetitions, %d runs per answer, one client; %s", latencies.count(), results, cpuPerCall));
    }

    private static int requireMatches(JsonNode runs) {
        if (runs.size() != 1000) {
            throw new IllegalStateException("search returned " + runs.size() + " runs, expected 1000");
        }
        for (JsonNode run : runs) {
            boolean p1 = false;
            for (JsonNode p : run.path("data").path("params")) {
                p1 |= p.path("key").asText().equals("p1")
                        && p.path("value").asText().equals("x");
            }
            boolean m1 = false;
            for (JsonNode m : run.path("data").path("metrics")) {
                m1 |= m.path("key").asText().equals("m1") && m.path("value").asDouble() > 0.5;
            }
            if (!p1 || !m1) {
                throw new IllegalStateException("search returned a run that does not match: " + run);
            }
        }
        return runs.size();
    }

    private Figure history() throws IOException {
        String experiment = createExperiment("history");
        String query;
        Samples latencies;
        String loadAverage;
        String cpuPerCall;
        try (HttpConnection c = connect()) {
            String runId = mlflow.createRun(c, experiment, System.currentTimeMillis());
            long now = System.currentTimeMillis();
            for (int b = 0; b < 10; b++) {
                mlflow.post(c, "runs/log-batch", mlflow.metricBatch(runId, 1000, 1, b * 1000L, now));
            }
            query = MlflowCalls.param("run_id", runId) + "&" + MlflowCalls.param("metric_key", "m0");
            for (int i = 0; i < scale.warmup(scale.historyRepetitions()); i++) {
                mlflow.get(c, "metrics/get-history", query);
            }
            loadAverage = ProcStatus.loadAverage();
            CpuMeter cpu = CpuMeter.start(serverPid);
            long[] nanos = new long[scale.historyRepetitions()];
            for (int i = 0; i < nanos.length; i++) {
                long t0 = System.nanoTime();
                mlflow.get(c, "metrics/get-history", query);
                nanos[i] = System.nanoTime() - t0;
            }
            latencies = Samples.of(nanos);
            cpuPerCall = cpu.perCall(nanos.length, "read");
            requireStored(runId, "m0", 10_000);
        }
        return new Figure(
                "metrics/get-history, 10,000 points",
                Figure.format(
                        "%.1f ms median, %.1f ms p99", latencies.percentileMillis(50), latencies.percentileMillis(99)),
                "<= 20 ms",
                "~500 ms",
                latencies.percentileMillis(50) <= 20,
                loadAverage,
                Figure.format("%d repetitions, one client, GET without paging; %s", latencies.count(), cpuPerCall));
    }

    private Figure getRun(List<String> runIds) {
        int clients = 16;
        String[] queries =
                runIds.stream().map(id -> MlflowCalls.param("run_id", id)).toArray(String[]::new);
        ConcurrentLoad.Call call =
                (c, client, i) -> mlflow.get(c, "runs/get", queries[(client * 7919 + i) % queries.length]);
        load.run(clients, scale.warmup(scale.getRunCalls()), 120, call);
        String loadAverage = ProcStatus.loadAverage();
        CpuMeter cpu = CpuMeter.start(serverPid);
        ConcurrentLoad.Outcome outcome = load.run(clients, scale.getRunCalls(), 120, call);
        double perSecond = outcome.perSecond(1);
        return new Figure(
                "runs/get under load (16 connections)",
                Figure.format("%,.0f req/s", perSecond),
                ">= 10,000 req/s",
                "~180 req/s",
                perSecond >= 10_000,
                loadAverage,
                Figure.format(
                        "%,d calls on 16 keep-alive connections, mean %.2f ms, p99 %.2f ms; %s",
                        outcome.calls(),
                        outcome.latencies().meanMillis(),
                        outcome.latencies().percentileMillis(99),
                        cpu.perCall(outcome.calls(), "call")));
    }

    private Figure startup(ServerLaunch launch) throws IOException, InterruptedException {
        String loadAverage = ProcStatus.loadAverage();
        double[] starts = new double[scale.launches()];
        double[] rss = new double[scale.launches()];
        double[] cpu = new double[scale.launches()];
        for (int i = 0; i < starts.length; i++) {
            ServerLaunch.Figures figures = launch.launch(i, 3_000);
            starts[i] = figures.startMillis();
            rss[i] = figures.idleRssMiB();
            cpu[i] = figures.startCpuMillis();
        }
        double start = median(starts);
        double idle = median(rss);
        return new Figure(
                "start to first answered request; idle RSS",
                Figure.format("%.2f s; %.0f MiB", start / 1000, idle),
                "<= 1.5 s; <= 300 MB",
                "~4 s; ~700 MB",
                start <= 1500 && idle * 1.048576 <= 300,
                loadAverage,
                Figure.format(
                        "median of %d launches on a fresh SQLite store (starts %s ms, CPU time to first answer %s ms;"
                                + " RSS %s MiB, 3 s after the first answer)",
                        starts.length, joined(starts), joined(cpu), joined(rss)));
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[(sorted.length - 1) / 2];
    }

    private static String joined(double[] values) {
        return String.join(
                ", ",
                Arrays.stream(values).mapToObj(v -> Figure.format("%.0f", v)).toList());
    }

    private void requireStored(String runId, String key, long expected) throws IOException {
        try (HttpConnection c = connect()) {
            String query = MlflowCalls.param("run_id", runId) + "&" + MlflowCalls.param("metric_key", key);
            int stored = mlflow.parse(mlflow.get(c, "metrics/get-history", query))
                    .path("metrics")
                    .size();
            if (stored != expected) {
                throw new IllegalStateException(
                        "run " + runId + " holds " + stored + " points of " + key + ", expected " + expected);
            }
        }
    }

    private String createExperiment(String purpose) throws IOException {
        try (HttpConnection c = connect()) {
            return mlflow.createExperiment(c, "bench-" + purpose + "-" + System.nanoTime());
        }
    }

    private HttpConnection connect() throws IOException {
        return HttpConnection.open(host, port);
    }

    /** The measurements, in the order they run; {@code --only} picks some of them. */
    private static final List<String> MEASUREMENTS =
            List.of("ingest", "log-metric", "search", "history", "get-run", "start-up");

    /** The command line of the driver. */
    private record Arguments(URI url, long serverPid, List<String> launch, Path work, Scale scale, Set<String> only) {
        static Arguments parse(String[] args) throws IOException {
            URI url = null;
            long pid = -1;
            List<String> launch = List.of();
            Path work = null;
            Scale scale = Scale.FULL;
            Set<String> only = Set.copyOf(MEASUREMENTS);
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--url" -> url = URI.create(args[++i]);
                    case "--server-pid" -> pid = Long.parseLong(args[++i]);
                    case "--launch" -> launch = List.of(args[++i].trim().split("\\s+"));
                    case "--work" -> work = Path.of(args[++i]);
                    case "--quick" -> scale = Scale.QUICK;
                    case "--only" -> only = only(args[++i]);
                    default -> throw new IllegalArgumentException("unknown argument: " + args[i]);
                }
            }
            if (url == null || pid < 0 || launch.isEmpty() || work == null) {
                throw new IllegalArgumentException(
                        "usage: TrackingBenchmark --url URL --server-pid PID --launch COMMAND --work DIR [--quick]"
                                + " [--only MEASUREMENT,...]");
            }
            if (!"127.0.0.1".equals(url.getHost())) {
                throw new IllegalArgumentException("the benchmark only drives 127.0.0.1, got " + url);
            }
            return new Arguments(url, pid, launch, Files.createDirectories(work), scale, only);
        }

        private static Set<String> only(String list) {
            Set<String> names = Set.of(list.split(","));
            for (String name : names) {
                if (!MEASUREMENTS.contains(name)) {
                    throw new IllegalArgumentException("unknown measurement " + name + "; known: " + MEASUREMENTS);
                }
            }
            return names;
        }
    }
}
