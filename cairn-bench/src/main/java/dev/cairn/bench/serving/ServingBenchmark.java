package dev.cairn.bench.serving;

import dev.cairn.bench.HttpConnection;
import dev.cairn.models.FlightModels;
import dev.cairn.models.FlightsSample;
import dev.cairn.models.LoadedModel;
import dev.cairn.models.Models;
import dev.cairn.models.Tensor;
import dev.cairn.models.TensorSpec;
import java.io.IOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * The serving benchmark's Java half (bench/serving drives it): builds the flights models and their
 * single-row request bodies, times the in-process predict call, and measures HTTP latency, one
 * connection back to back or at a constant request rate across many connections. Each figure is
 * printed as one {@code key=value} line.
 *
 * <pre>
 * models DIR                                   XGBoost (50 trees) and a Tribuo logistic regression as ONNX, with bodies
 * inprocess DIR                                p50/p99 of LoadedModel.predict on one row, each model
 * latency URL BODY SECONDS                     one connection, back to back: p50/p99
 * rate URL BODY RATE SECONDS CONNECTIONS       constant rate, latency from the intended send time: p50/p99
 * </pre>
 */
public final class ServingBenchmark {
    private static final List<String> MODELS = List.of("xgboost", "onnx");
    /** How long after the last request was due a constant-rate run waits for the answers before failing. */
    private static final Duration ANSWER_GRACE = Duration.ofSeconds(30);

    private ServingBenchmark() {}

    public static void main(String[] args) throws Exception {
        if (args.length == 0) {
            throw new IllegalArgumentException("usage: models|inprocess|latency|rate ...");
        }
        switch (args[0]) {
            case "models" -> models(Path.of(args[1]));
            case "inprocess" -> inProcess(Path.of(args[1]));
            case "latency" -> latency(URI.create(args[1]), Files.readAllBytes(Path.of(args[2])), seconds(args[3]));
            case "rate" ->
                rate(
                        URI.create(args[1]),
                        Files.readAllBytes(Path.of(args[2])),
                        Double.parseDouble(args[3]),
                        seconds(args[4]),
                        Integer.parseInt(args[5]));
            default -> throw new IllegalArgumentException("unknown command " + args[0]);
        }
    }

    private static long seconds(String value) {
        long seconds = Long.parseLong(value);
        if (seconds < 1 || seconds > 600) {
            throw new IllegalArgumentException("seconds must be in 1..600, got " + value);
        }
        return seconds;
    }

    /** Trains both models on the committed flights sample and writes the request bodies of one test row. */
    private static void models(Path dir) throws IOException {
        FlightsSample sample = FlightsSample.load();
        FlightModels.saveXGBoost(sample, dir.resolve("xgboost"));
        FlightModels.saveLogisticOnnx(sample, dir.resolve("onnx"));
        float[] row = sample.test.row(0);
        for (String name : MODELS) {
            try (LoadedModel model = Models.load(dir.resolve(name))) {
                Files.writeString(
                        dir.resolve(name + ".oip.json"),
                        oipBody(model.manifest().signature().inputs(), row));
            }
            Files.writeString(dir.resolve(name + ".invocations.json"), invocationsBody(row));
        }
        System.out.println("models=" + dir);
    }

    private static String oipBody(List<TensorSpec> inputs, float[] row) {
        var tensors = new ArrayList<String>();
        if (inputs.size() == 1 && inputs.get(0).shape().size() == 2) {
            tensors.add(tensor(inputs.get(0).name(), "[1," + row.length + "]", row));
        } else {
            for (TensorSpec spec : inputs) {
                int column = Arrays.asList(FlightsSample.FEATURES).indexOf(spec.name());
                tensors.add(tensor(spec.name(), "[1]", new float[] {row[column]}));
            }
        }
        return "{\"id\":\"bench\",\"inputs\":[" + String.join(",", tensors) + "]}";
    }

    private static String tensor(String name, String shape, float[] data) {
        return "{\"name\":\"" + name + "\",\"datatype\":\"FP32\",\"shape\":" + shape + ",\"data\":" + values(data)
                + "}";
    }

    private static String invocationsBody(float[] row) {
        var columns = new ArrayList<String>();
        for (String feature : FlightsSample.FEATURES) {
            columns.add("\"" + feature + "\"");
        }
        return "{\"dataframe_split\":{\"columns\":[" + String.join(",", columns) + "],\"data\":[" + values(row) + "]}}";
    }

    private static String values(float[] data) {
        var parts = new ArrayList<String>();
        for (float v : data) {
            parts.add(Float.toString(v));
        }
        return "[" + String.join(",", parts) + "]";
    }

    /** The predict call alone, as the server makes it for a single-row request, on one thread. */
    private static void inProcess(Path dir) {
        FlightsSample sample = FlightsSample.load();
        for (String name : MODELS) {
            try (LoadedModel model = Models.load(dir.resolve(name))) {
                List<Tensor> input = model.manifest().signature().inputs().size() == 1
                        ? List.of(FlightModels.matrix(
                                sample.test,
                                1,
                                model.manifest().signature().inputs().get(0).name()))
                        : FlightModels.columns(sample.test, 1);
                Object sink = null;
                long warmUntil = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
                while (System.nanoTime() < warmUntil) {
                    sink = model.predict(input);
                }
                long[] nanos = new long[100_000];
                for (int i = 0; i < nanos.length; i++) {
                    long start = System.nanoTime();
                    sink = model.predict(input);
                    nanos[i] = System.nanoTime() - start;
                }
                if (sink == null) {
                    throw new IllegalStateException("no prediction");
                }
                Arrays.sort(nanos);
                print(name + ".inprocess", nanos);
            }
        }
    }

    /** One connection, each request sent when the previous answer is in. */
    private static void latency(URI url, byte[] body, long seconds) throws IOException {
        byte[] request = request(url, body);
        try (HttpConnection connection = open(url)) {
            check(connection, request);
            long warmUntil = System.nanoTime() + TimeUnit.SECONDS.toNanos(Math.min(5, seconds));
            while (System.nanoTime() < warmUntil) {
                expectOk(connection.exchange(request));
            }
            long[] nanos = new long[1 << 16];
            int count = 0;
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
            while (count < 5_000_000) {
                long start = System.nanoTime();
                if (start >= end) {
                    break;
                }
                expectOk(connection.exchange(request));
                if (count == nanos.length) {
                    nanos = Arrays.copyOf(nanos, nanos.length * 2);
                }
                nanos[count++] = System.nanoTime() - start;
            }
            long[] sorted = Arrays.copyOf(nanos, count);
            Arrays.sort(sorted);
            print("latency", sorted);
        }
    }

    /**
     * Requests at a constant overall rate, spread round-robin over {@code connections}; each one's
     * latency counts from the moment it was due, so a stalled server is not hidden by a client that
     * waits for it (coordinated omission).
     */
    private static void rate(URI url, byte[] body, double rate, long seconds, int connections) throws IOException {
        if (rate <= 0 || connections < 1 || connections > 256) {
            throw new IllegalArgumentException("rate must be positive and connections in 1..256");
        }
        try (HttpConnection probe = open(url)) {
            check(probe, request(url, body));
        }
        runAtRate(url, body, rate, Math.min(5, seconds), connections); // warm-up, discarded
        long[] gcBefore = driverGc();
        ConstantRateLoad.Result result = runAtRate(url, body, rate, seconds, connections);
        long[] gcAfter = driverGc();
        System.out.printf(
                Locale.ROOT,
                "rate.target=%.0f%nrate.achieved=%.0f%nrate.errors=%d%n",
                rate,
                result.achievedRate(),
                result.errors());
        // the driver's own collections during the measured run: any pause there is charged to the server
        System.out.printf(
                Locale.ROOT,
                "rate.driver_gc_count=%d%nrate.driver_gc_ms=%d%n",
                gcAfter[0] - gcBefore[0],
                gcAfter[1] - gcBefore[1]);
        // a bound of what the driver itself added to each latency (late sends, answers not yet seen)
        System.out.printf(
                Locale.ROOT,
                "rate.driver_error_p50_us=%.1f%nrate.driver_error_p99_us=%.1f%n",
                percentile(result.driverErrorSorted(), 50) / 1e3,
                percentile(result.driverErrorSorted(), 99) / 1e3);
        print("rate", result.sorted());
    }

    /** This JVM's garbage collections so far: their count and their total time in milliseconds. */
    private static long[] driverGc() {
        long count = 0;
        long millis = 0;
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            count += Math.max(0, gc.getCollectionCount());
            millis += Math.max(0, gc.getCollectionTime());
        }
        return new long[] {count, millis};
    }

    private static ConstantRateLoad.Result runAtRate(URI url, byte[] body, double rate, long seconds, int connections)
            throws IOException {
        return ConstantRateLoad.run(
                new InetSocketAddress(url.getHost(), url.getPort()),
                request(url, body),
                rate,
                seconds,
                connections,
                ANSWER_GRACE);
    }

    private static void check(HttpConnection connection, byte[] request) throws IOException {
        HttpConnection.Response answer = connection.send(request);
        if (answer.status() != 200) {
            throw new IllegalStateException("the server answered " + answer.status() + ": " + answer.text());
        }
        System.out.println("answer=" + answer.text());
    }

    private static HttpConnection open(URI url) throws IOException {
        return HttpConnection.open(url.getHost(), url.getPort());
    }

    /** The POST of {@code body} to {@code url}, encoded once for the load loops. */
    private static byte[] request(URI url, byte[] body) {
        String path = url.getRawPath() + (url.getRawQuery() == null ? "" : "?" + url.getRawQuery());
        return HttpConnection.jsonPost(url.getHost() + ":" + url.getPort(), path, body);
    }

    private static void expectOk(int status) {
        if (status != 200) {
            throw new IllegalStateException("the server answered " + status);
        }
    }

    private static void print(String what, long[] sorted) {
        System.out.printf(
                Locale.ROOT,
                "%s.count=%d%n%s.p50_us=%.1f%n%s.p99_us=%.1f%n%s.p999_us=%.1f%n%s.max_us=%.1f%n",
                what,
                sorted.length,
                what,
                percentile(sorted, 50) / 1e3,
                what,
                percentile(sorted, 99) / 1e3,
                what,
                percentile(sorted, 99.9) / 1e3,
                what,
                sorted.length == 0 ? Double.NaN : sorted[sorted.length - 1] / 1e3);
    }

    private static double percentile(long[] sorted, double p) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }
}
