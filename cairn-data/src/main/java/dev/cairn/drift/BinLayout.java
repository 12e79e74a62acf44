package dev.cairn.drift;

import java.util.Arrays;

/**
 * Fixed bins a large numeric window is counted in, chosen once from the reference: up to
 * {@link #MAX_EDGES} edges at the reference sample's quantiles (its distinct values when there are
 * fewer). Every edge is its own point bin (values equal to it), and the open intervals between edges,
 * below the first and above the last are bins too: {@code 2 * edges + 1} bins. Discrete columns with
 * few values are therefore counted exactly; continuous ones to within one interval.
 */
final class BinLayout {
    static final int MAX_EDGES = 8192;

    /** Grid cells per edge of the lookup table that narrows the search for a value's bin. */
    private static final int CELLS_PER_EDGE = 4;

    private final double[] edges;
    // cellStart[c] is the first edge at or above the start of grid cell c, over [edges[0], edges[last]]:
    // a value's bin is then found among the few edges of its cell instead of by a search over all.
    private final int[] cellStart;
    private final double gridScale;

    private BinLayout(double[] edges) {
        this.edges = edges;
        int cells = Math.max(1, edges.length * CELLS_PER_EDGE);
        double span = edges.length == 0 ? 0 : edges[edges.length - 1] - edges[0];
        this.gridScale = span > 0 && Double.isFinite(cells / span) ? cells / span : 0;
        this.cellStart = new int[cells + 2];
        if (gridScale > 0) {
            int e = 0;
            for (int c = 0; c <= cells + 1; c++) {
                double start = edges[0] + c / gridScale;
                while (e < edges.length && edges[e] < start) {
                    e++;
                }
                cellStart[c] = e;
            }
        }
    }

    /** A layout from a sorted sample of finite values (the first values of the reference). */
    static BinLayout fromSorted(double[] sorted, int size) {
        double[] distinct = new double[size];
        int n = 0;
        for (int i = 0; i < size; i++) {
            if (n == 0 || sorted[i] != distinct[n - 1]) {
                distinct[n++] = sorted[i];
            }
        }
        if (n <= MAX_EDGES) {
            return new BinLayout(Arrays.copyOf(distinct, n));
        }
        double[] picked = new double[MAX_EDGES];
        int m = 0;
        for (int k = 0; k < MAX_EDGES; k++) {
            double value = sorted[(int) Math.round((double) k * (size - 1) / (MAX_EDGES - 1))];
            if (m == 0 || value != picked[m - 1]) {
                picked[m++] = value;
            }
        }
        return new BinLayout(Arrays.copyOf(picked, m));
    }

    int binCount() {
        return 2 * edges.length + 1;
    }

    int edgeCount() {
        return edges.length;
    }

    double edge(int k) {
        return edges[k];
    }

    /** The bin of a finite value: {@code 2k + 1} for edge k itself, {@code 2k} for the interval below edge k. */
    int bin(double value) {
        int last = edges.length - 1;
        if (last < 0) {
            return 0;
        }
        if (value <= edges[0]) {
            return value == edges[0] ? 1 : 0;
        }
        if (value >= edges[last]) {
            return value == edges[last] ? 2 * last + 1 : 2 * last + 2;
        }
        int lo = 0;
        int hi = last;
        if (gridScale > 0) {
            int cell = (int) ((value - edges[0]) * gridScale);
            // Rounding can put a value one cell off; widen by one cell on each side.
            lo = Math.max(0, cellStart[Math.max(0, cell - 1)] - 1);
            hi = Math.min(last, cellStart[Math.min(cellStart.length - 1, cell + 2)]);
        }
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            double e = edges[mid];
            if (e < value) {
                lo = mid + 1;
            } else if (e > value) {
                hi = mid - 1;
            } else {
                return 2 * mid + 1;
            }
        }
        return 2 * lo;
    }

    static boolean isPoint(int bin) {
        return (bin & 1) == 1;
    }
}
