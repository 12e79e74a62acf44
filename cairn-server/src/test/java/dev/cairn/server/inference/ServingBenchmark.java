package dev.cairn.server.inference;

import com.fasterxml.jackson.core.JsonFactory;
import dev.cairn.models.FlightModels;
import dev.cairn.models.FlightsSample;
import dev.cairn.models.LoadedModel;
import dev.cairn.models.ModelSpec;
import dev.cairn.models.Models;
import dev.cairn.models.Tensor;
import dev.cairn.models.tribuo.TribuoFlavor;
import dev.cairn.serving.InferenceEngine;
import dev.cairn.serving.InferenceRequest;
import dev.cairn.serving.ServingConfig;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

/**
 * Measures, in process, the raw single-row predict latency of each flavor, what the engine and the
 * OIP JSON codec add on top, and whether micro-batching pays. Run by hand (not a test):
 * {@code java -cp <test class path> dev.cairn.server.inference.ServingBenchmark}.
 */
public final class ServingBenchmark {
    private static final int WARMUP = 20_000;
    private static final int RUNS = 50_000;

    private ServingBenchmark() {}

    public static void main(String[] args) throws Exception {
        Path dir = Files.createTempDirectory("cairn-bench-");
        FlightsSample sample = FlightsSample.load();
        FlightModels.saveXGBoost(sample, dir.resolve("xgb"));
        FlightModels.saveLogisticOnnx(sample, dir.resolve("onnx"));
        TribuoFlavor.save(FlightModels.trainLogistic(sample.train), dir.resolve("tribuo"), ModelSpec.empty());
        List<Tensor> columns = FlightModels.columns(sample.test, 1);
        List<Tensor> matrix = List.of(FlightModels.matrix(sample.test, 1, "input"));

        System.out.println("== raw predict, one row, one thread (µs: mean p50 p99)");
        for (String flavor : List.of("xgb", "onnx", "tribuo")) {
            try (LoadedModel model = Models.load(dir.resolve(flavor))) {
                List<Tensor> input = flavor.equals("onnx") ? matrix : columns;
                report(flavor, time(() -> model.predict(input)));
            }
        }

        System.out.println("== engine.infer and OIP JSON decode + infer + encode, one row, one thread");
        JsonFactory json = new JsonFactory();
        OipCodec codec = new OipCodec(json);
        try (var engine = new InferenceEngine(ServingConfig.defaults())) {
            engine.load("xgb", "1", dir.resolve("xgb"));
            engine.load("onnx", "1", dir.resolve("onnx"));
            for (String name : List.of("xgb", "onnx")) {
                List<Tensor> input = name.equals("onnx") ? matrix : columns;
                report(name + " engine", time(() -> engine.infer(InferenceRequest.of(name, input))));
                byte[] body = oipBody(input).getBytes(StandardCharsets.UTF_8);
                report(name + " engine+OIP json", time(() -> {
                    try {
                        var request = codec.request(new ByteArrayInputStream(body), name, "");
                        return codec.response(engine.infer(request));
                    } catch (java.io.IOException e) {
                        throw new IllegalStateException(e);
                    }
                }));
            }
        }

        System.out.println("== micro-batching: requests/s of single-row engine.infer from N threads, 3 s each");
        for (String name : List.of("xgb", "onnx")) {
            List<Tensor> input = name.equals("onnx") ? matrix : columns;
            for (int threads : new int[] {2, 8, 32}) {
                for (int batch : new int[] {1, 32}) {
                    ServingConfig config = ServingConfig.builder()
                            .batching(batch > 1 ? ServingConfig.Batching.ALWAYS : ServingConfig.Batching.OFF)
                            .maxBatchSize(batch)
                            .maxBatchDelay(Duration.ofNanos(100_000))
                            .maxQueue(4096)
                            .build();
                    try (var engine = new InferenceEngine(config)) {
                        engine.load(name, "1", dir.resolve(name));
                        double rate = throughput(threads, () -> engine.infer(InferenceRequest.of(name, input)));
                        System.out.printf(
                                "%-5s threads=%-3d maxBatch=%-3d %,10.0f req/s%n", name, threads, batch, rate);
                    }
                }
            }
        }
    }

    private static String oipBody(List<Tensor> inputs) {
        var parts = new ArrayList<String>();
        for (Tensor t : inputs) {
            parts.add("{\"name\":\"" + t.name() + "\",\"datatype\":\"FP32\",\"shape\":" + Arrays.toString(t.shape())
                    + ",\"data\":" + Arrays.toString((float[]) t.data()) + "}");
        }
        return "{\"inputs\":[" + String.join(",", parts) + "]}";
    }

    private static long[] time(Supplier<Object> call) {
        Object sink = null;
        for (int i = 0; i < WARMUP; i++) {
            sink = call.get();
        }
        long[] nanos = new long[RUNS];
        for (int i = 0; i < RUNS; i++) {
            long start = System.nanoTime();
            sink = call.get();
            nanos[i] = System.nanoTime() - start;
        }
        if (sink == null) {
            throw new IllegalStateException();
        }
        Arrays.sort(nanos);
        return nanos;
    }

    private static void report(String what, long[] sorted) {
        double mean = Arrays.stream(sorted).average().orElse(0) / 1000;
        System.out.printf(
                "%-22s %8.1f %8.1f %8.1f%n",
                what, mean, sorted[sorted.length / 2] / 1000.0, sorted[(int) (sorted.length * 0.99)] / 1000.0);
    }

    private static double throughput(int threads, Supplier<Object> call) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        AtomicBoolean stop = new AtomicBoolean();
        var done = new LongAdder();
        var workers = new ArrayList<Future<?>>();
        for (int t = 0; t < threads; t++) {
            workers.add(pool.submit(() -> {
                while (!stop.get()) {
                    call.get();
                    done.increment();
                }
            }));
        }
        Thread.sleep(1000); // warm-up
        long before = done.sum();
        long start = System.nanoTime();
        Thread.sleep(2000);
        long after = done.sum();
        double seconds = (System.nanoTime() - start) / 1e9;
        stop.set(true);
        for (Future<?> worker : workers) {
            worker.get();
        }
        pool.shutdown();
        return (after - before) / seconds;
    }
}
