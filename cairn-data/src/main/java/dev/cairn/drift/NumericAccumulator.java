package dev.cairn.drift;

import dev.cairn.core.CairnException;
import java.util.Arrays;

/**
 * The streaming state of one numeric column in a window: counts of nulls, NaN and infinities, exact
 * moments and extremes of the finite values, and the values themselves while there are at most
 * {@code exactLimit} of them; past that, counts in the reference's {@link BinLayout} instead. Memory
 * stays bounded by {@code max(exactLimit, 2 * 8192 + 1)} numbers whatever the window size.
 */
final class NumericAccumulator {
    private final int exactLimit;
    private BinLayout layout;
    private long nulls;
    private long nan;
    private long positiveInfinity;
    private long negativeInfinity;
    private long count;
    // Sums of (v - shift) and its square, shift being the first value: cheap per value and accurate
    // for the standard deviation as long as the shift is a typical value.
    private double shift = Double.NaN;
    private double shiftedSum;
    private double shiftedSquares;
    private double min = Double.POSITIVE_INFINITY;
    private double max = Double.NEGATIVE_INFINITY;
    private double[] values = new double[16];
    private boolean sorted = true;
    private long[] bins;
    // Sum of the values in each bin: a bin's mean lets the Wasserstein estimate place its mass where
    // it is rather than across the whole bin, which matters in sparse regions and the tails.
    private double[] sums;

    NumericAccumulator(int exactLimit, BinLayout layout) {
        this.exactLimit = exactLimit;
        this.layout = layout;
    }

    void acceptNull() {
        nulls++;
    }

    void accept(double v) {
        if (Double.isNaN(v)) {
            nan++;
            return;
        }
        if (Double.isInfinite(v)) {
            if (v > 0) {
                positiveInfinity++;
            } else {
                negativeInfinity++;
            }
            return;
        }
        count++;
        if (count == 1) {
            shift = v;
        }
        double d = v - shift;
        shiftedSum += d;
        shiftedSquares += d * d;
        if (v < min) {
            min = v;
        }
        if (v > max) {
            max = v;
        }
        if (bins != null) {
            countInBins(v);
            return;
        }
        if (count > values.length) {
            values = Arrays.copyOf(values, (int) Math.min(Math.max(16, 2L * values.length), exactLimit + 1L));
        }
        values[(int) count - 1] = v;
        sorted = false;
        if (count > exactLimit) {
            switchToBins();
        }
    }

    private void switchToBins() {
        int n = (int) count;
        sortValues();
        if (layout == null) {
            layout = BinLayout.fromSorted(values, n);
        }
        bins = new long[layout.binCount()];
        sums = new double[layout.binCount()];
        for (int i = 0; i < n; i++) {
            countInBins(values[i]);
        }
        values = null;
    }

    private void countInBins(double v) {
        int b = layout.bin(v);
        bins[b]++;
        sums[b] += v;
    }

    private void sortValues() {
        if (!sorted) {
            Arrays.sort(values, 0, (int) count);
            sorted = true;
        }
    }

    /** Fixes the bin layout from the values held (reference windows, when they are complete). */
    BinLayout freezeLayout() {
        if (layout == null) {
            sortValues();
            layout = BinLayout.fromSorted(values == null ? new double[0] : values, values == null ? 0 : (int) count);
        }
        return layout;
    }

    void merge(NumericAccumulator other) {
        CairnException.requireArgument(
                layout == other.layout || layout == null || other.layout == null,
                "windows of different reference profiles cannot be merged");
        nulls += other.nulls;
        nan += other.nan;
        positiveInfinity += other.positiveInfinity;
        negativeInfinity += other.negativeInfinity;
        if (bins == null && other.bins == null && count + other.count <= exactLimit) {
            values = Arrays.copyOf(values, (int) (count + other.count));
            System.arraycopy(other.values, 0, values, (int) count, (int) other.count);
            sorted = false;
            if (layout == null) {
                layout = other.layout;
            }
        } else {
            if (layout == null) {
                layout = other.layout != null ? other.layout : freezeLayout();
            }
            double[] mySums = sumsIn(layout);
            double[] theirSums = other.sumsIn(layout);
            long[] mine = binnedIn(layout);
            long[] theirs = other.binnedIn(layout);
            for (int i = 0; i < mine.length; i++) {
                mine[i] += theirs[i];
                mySums[i] += theirSums[i];
            }
            bins = mine;
            sums = mySums;
            values = null;
        }
        mergeMoments(other);
        count += other.count;
    }

    private void mergeMoments(NumericAccumulator other) {
        if (other.count == 0) {
            return;
        }
        if (count == 0) {
            shift = other.shift;
        }
        double move = other.shift - shift;
        shiftedSquares += other.shiftedSquares + 2 * move * other.shiftedSum + other.count * move * move;
        shiftedSum += other.shiftedSum + other.count * move;
        min = Math.min(min, other.min);
        max = Math.max(max, other.max);
    }

    /** Counts per bin of {@code target} (binning the exact values when still exact). */
    long[] binnedIn(BinLayout target) {
        if (bins != null) {
            return bins.clone();
        }
        long[] out = new long[target.binCount()];
        for (int i = 0; i < count; i++) {
            out[target.bin(values[i])]++;
        }
        return out;
    }

    /** Sum of the values in each bin of {@code target}. */
    double[] sumsIn(BinLayout target) {
        if (bins != null) {
            return sums.clone();
        }
        double[] out = new double[target.binCount()];
        for (int i = 0; i < count; i++) {
            out[target.bin(values[i])] += values[i];
        }
        return out;
    }

    boolean isExact() {
        return bins == null;
    }

    /** The exact values, sorted; only while {@link #isExact()}. */
    double[] sortedValues() {
        sortValues();
        return values;
    }

    int exactSize() {
        return (int) count;
    }

    long count() {
        return count;
    }

    double min() {
        return min;
    }

    double max() {
        return max;
    }

    /** Population standard deviation of the finite values. */
    double std() {
        if (count == 0) {
            return Double.NaN;
        }
        if (bins == null) {
            return DriftStatistics.std(values, (int) count);
        }
        double mean = shiftedSum / count;
        return Math.sqrt(Math.max(0, shiftedSquares / count - mean * mean));
    }

    BinLayout layout() {
        return layout;
    }

    ValueCounts counts() {
        return new ValueCounts(count, nulls, nan, positiveInfinity, negativeInfinity);
    }
}
