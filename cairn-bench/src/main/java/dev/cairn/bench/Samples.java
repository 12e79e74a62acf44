package dev.cairn.bench;

import java.util.Arrays;

/** Latency samples in nanoseconds, with the summary figures the benchmark reports. */
record Samples(long[] nanos) {
    static Samples of(long[]... parts) {
        return new Samples(
                Arrays.stream(parts).flatMapToLong(Arrays::stream).sorted().toArray());
    }

    int count() {
        return nanos.length;
    }

    double meanMillis() {
        return Arrays.stream(nanos).average().orElse(Double.NaN) / 1e6;
    }

    /** The nearest-rank percentile, {@code p} in (0, 100]. */
    double percentileMillis(double p) {
        if (nanos.length == 0) {
            return Double.NaN;
        }
        int rank = (int) Math.ceil(p / 100.0 * nanos.length);
        return nanos[Math.max(0, Math.min(nanos.length - 1, rank - 1))] / 1e6;
    }
}
