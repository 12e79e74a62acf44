package dev.cairn.drift;

import java.util.Arrays;

/**
 * Evidently's {@code get_binned_data} for numeric samples: with more than 20 distinct reference values,
 * a histogram on {@code numpy.histogram_bin_edges(concat(ref, cur), bins="sturges")} (equal-width bins
 * between the joint minimum and maximum, {@code ceil(log2(n) + 1)} of them, the last bin closed);
 * otherwise one bin per distinct value of either sample.
 */
final class EvidentlyBinning {
    static final int MAX_DISTINCT_FOR_VALUE_BINS = 20;

    private EvidentlyBinning() {}

    /** Sturges bin edges as NumPy computes them (linspace of {@code n_bins + 1} points). */
    static double[] sturgesEdges(double min, double max, long n) {
        double first = min;
        double last = max;
        if (first == last) {
            first -= 0.5;
            last += 0.5;
        }
        double ptp = max - min;
        double width = ptp / (log2(n) + 1.0);
        int bins = width != 0 ? (int) Math.ceil((last - first) / width) : 1;
        double[] edges = new double[bins + 1];
        double step = (last - first) / bins;
        for (int i = 0; i < bins; i++) {
            edges[i] = i * step + first;
        }
        edges[bins] = last;
        return edges;
    }

    private static double log2(long n) {
        // Exact for powers of two, where ceil() of the bin count is sensitive to the last bit.
        if (Long.bitCount(n) == 1) {
            return Long.numberOfTrailingZeros(n);
        }
        return Math.log((double) n) / Math.log(2.0);
    }

    /** Counts of a sorted sample in each Sturges bin ({@code numpy.histogram} with explicit edges). */
    static long[] histogram(double[] sorted, int size, double[] edges) {
        long[] counts = new long[edges.length - 1];
        long previous = lowerBound(sorted, size, edges[0]);
        for (int k = 1; k < edges.length; k++) {
            long cumulative =
                    k == edges.length - 1 ? upperBound(sorted, size, edges[k]) : lowerBound(sorted, size, edges[k]);
            counts[k - 1] = cumulative - previous;
            previous = cumulative;
        }
        return counts;
    }

    static int lowerBound(double[] sorted, int size, double value) {
        int lo = 0;
        int hi = size;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (sorted[mid] < value) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    static int upperBound(double[] sorted, int size, double value) {
        int lo = 0;
        int hi = size;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (sorted[mid] <= value) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    /** Number of distinct values in a sorted sample. */
    static int distinct(double[] sorted, int size) {
        int count = 0;
        for (int i = 0; i < size; i++) {
            if (i == 0 || sorted[i] != sorted[i - 1]) {
                count++;
            }
        }
        return count;
    }

    /** Distinct values of the union of two sorted samples. */
    static double[] unionDistinct(double[] a, int na, double[] b, int nb) {
        double[] merged = new double[na + nb];
        System.arraycopy(a, 0, merged, 0, na);
        System.arraycopy(b, 0, merged, na, nb);
        Arrays.sort(merged);
        int n = 0;
        for (int i = 0; i < merged.length; i++) {
            if (i == 0 || merged[i] != merged[i - 1]) {
                merged[n++] = merged[i];
            }
        }
        return Arrays.copyOf(merged, n);
    }

    /** Count of each key (sorted distinct values) in a sorted sample. */
    static long[] countsPerValue(double[] sorted, int size, double[] keys) {
        long[] counts = new long[keys.length];
        for (int k = 0; k < keys.length; k++) {
            counts[k] = upperBound(sorted, size, keys[k]) - lowerBound(sorted, size, keys[k]);
        }
        return counts;
    }

    /** Reference and current proportions per bin, as {@code get_binned_data(..., feel_zeroes=false)}. */
    static double[][] binnedPercents(double[] ref, int nRef, double[] cur, int nCur) {
        long[] refCounts;
        long[] curCounts;
        if (distinct(ref, nRef) > MAX_DISTINCT_FOR_VALUE_BINS) {
            double min = Math.min(ref[0], cur[0]);
            double max = Math.max(ref[nRef - 1], cur[nCur - 1]);
            double[] edges = sturgesEdges(min, max, (long) nRef + nCur);
            refCounts = histogram(ref, nRef, edges);
            curCounts = histogram(cur, nCur, edges);
        } else {
            double[] keys = unionDistinct(ref, nRef, cur, nCur);
            refCounts = countsPerValue(ref, nRef, keys);
            curCounts = countsPerValue(cur, nCur, keys);
        }
        return new double[][] {DriftStatistics.percents(refCounts, nRef), DriftStatistics.percents(curCounts, nCur)};
    }
}
