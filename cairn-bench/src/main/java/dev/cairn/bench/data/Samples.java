package dev.cairn.bench.data;

import java.util.ArrayList;
import java.util.List;

/** Wall-clock durations of repeated runs of one measure, in seconds. */
final class Samples {
    private final List<Double> seconds = new ArrayList<>();

    /** Work whose duration is measured. */
    @FunctionalInterface
    interface Timed<T> {
        T run() throws Exception;
    }

    /** Runs {@code work} {@code times} times and records each duration. */
    static Samples of(int times, Timed<?> work) throws Exception {
        Samples samples = new Samples();
        for (int i = 0; i < times; i++) {
            samples.time(work);
        }
        return samples;
    }

    /** Runs {@code work} once, records its duration and returns its result. */
    <T> T time(Timed<T> work) throws Exception {
        long start = System.nanoTime();
        T result = work.run();
        seconds.add((System.nanoTime() - start) / 1e9);
        return result;
    }

    double median() {
        List<Double> sorted = sorted();
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    double min() {
        return sorted().get(0);
    }

    double max() {
        List<Double> sorted = sorted();
        return sorted.get(sorted.size() - 1);
    }

    private List<Double> sorted() {
        if (seconds.isEmpty()) {
            throw new IllegalStateException("no run was measured");
        }
        return seconds.stream().sorted().toList();
    }
}
