package dev.cairn.drift;

import java.util.ArrayList;
import java.util.List;

/**
 * The numeric statistics between a reference and a current accumulator: exactly SciPy's when both
 * hold their values, otherwise on the reference's bins with an error bound (see the README, "Large
 * windows").
 */
final class NumericComparison {
    private final NumericAccumulator ref;
    private final NumericAccumulator cur;
    private final boolean exact;
    private final BinLayout layout;
    private long[] refBins;
    private long[] curBins;
    private double[] refSums;
    private double[] curSums;

    NumericComparison(NumericAccumulator ref, NumericAccumulator cur) {
        this.ref = ref;
        this.cur = cur;
        this.exact = ref.isExact() && cur.isExact();
        this.layout = ref.freezeLayout();
        if (!exact) {
            refBins = ref.binnedIn(layout);
            curBins = cur.binnedIn(layout);
            refSums = ref.sumsIn(layout);
            curSums = cur.sumsIn(layout);
        }
    }

    boolean exact() {
        return exact;
    }

    /** Distinct values of both sides together (in bins: non-empty bins, a lower bound). */
    int distinctUnion() {
        if (exact) {
            return EvidentlyBinning.unionDistinct(
                            ref.sortedValues(), ref.exactSize(), cur.sortedValues(), cur.exactSize())
                    .length;
        }
        int n = 0;
        for (int b = 0; b < refBins.length; b++) {
            if (refBins[b] + curBins[b] > 0) {
                n++;
            }
        }
        return n;
    }

    /** A statistic with the bound of its absolute error (0 when exact). */
    record Estimate(TestOutcome outcome, double errorBound) {}

    Estimate ks() {
        if (exact) {
            double d = DriftStatistics.ksStatisticSorted(
                    ref.sortedValues(), ref.exactSize(), cur.sortedValues(), cur.exactSize());
            return new Estimate(new TestOutcome(d, DriftStatistics.ksPValue(d, ref.count(), cur.count())), 0);
        }
        double nr = ref.count();
        double nc = cur.count();
        double fr = 0;
        double fc = 0;
        double d = 0;
        double bound = 0;
        for (int b = 0; b < refBins.length; b++) {
            fr += refBins[b] / nr;
            fc += curBins[b] / nc;
            d = Math.max(d, Math.abs(fr - fc));
            if (!BinLayout.isPoint(b)) {
                bound = Math.max(bound, Math.max(refBins[b] / nr, curBins[b] / nc));
            }
        }
        d = Math.min(d, 1.0);
        return new Estimate(new TestOutcome(d, DriftStatistics.ksPValue(d, ref.count(), cur.count())), bound);
    }

    Estimate normedWasserstein() {
        double norm = Math.max(ref.std(), 0.001);
        if (exact) {
            double w = DriftStatistics.wassersteinSorted(
                    ref.sortedValues(), ref.exactSize(), cur.sortedValues(), cur.exactSize());
            return new Estimate(TestOutcome.distance(w / norm), 0);
        }
        double nr = ref.count();
        double nc = cur.count();
        double fr = 0;
        double fc = 0;
        double w = 0;
        double bound = 0;
        for (int b = 0; b < refBins.length; b++) {
            double pr = refBins[b] / nr;
            double pc = curBins[b] / nc;
            if (!BinLayout.isPoint(b)) {
                double lo = lower(b);
                double hi = upper(b);
                if (hi > lo) {
                    double[] rs = support(lo, hi, refBins[b], refSums[b]);
                    double[] cs = support(lo, hi, curBins[b], curSums[b]);
                    w += areaBetween(lo, hi, fr, pr, rs, fc, pc, cs);
                    // Each CDF is monotone between the same end points as its stand-in, so the area
                    // between them is at most the bin's width times the bin's mass.
                    bound += (hi - lo) * (pr + pc);
                }
            }
            fr += pr;
            fc += pc;
        }
        return new Estimate(TestOutcome.distance(w / norm), bound / norm);
    }

    /**
     * Where a side's mass in a bin is spread uniformly: the widest interval inside the bin whose mean
     * is the mean of the values the side put there.
     */
    private static double[] support(double lo, double hi, long count, double sum) {
        if (count == 0) {
            return new double[] {lo, hi};
        }
        double mean = Math.max(lo, Math.min(hi, sum / count));
        if (mean <= (lo + hi) / 2) {
            return new double[] {lo, 2 * mean - lo};
        }
        return new double[] {2 * mean - hi, hi};
    }

    /**
     * The area between two CDFs over [lo, hi] that start at f0 and g0 and add masses p and q uniformly
     * over the sub-intervals s and t.
     */
    private static double areaBetween(
            double lo, double hi, double f0, double p, double[] s, double g0, double q, double[] t) {
        double[] cuts = {lo, s[0], s[1], t[0], t[1], hi};
        java.util.Arrays.sort(cuts);
        double area = 0;
        for (int i = 0; i + 1 < cuts.length; i++) {
            double a = cuts[i];
            double z = cuts[i + 1];
            if (z <= a) {
                continue;
            }
            double d0 = uniformCdf(f0, p, s, a) - uniformCdf(g0, q, t, a);
            double d1 = uniformCdf(f0, p, s, z) - uniformCdf(g0, q, t, z);
            area += (z - a) * integralOfAbsLinear(d0, d1 - d0);
        }
        return area;
    }

    private static double uniformCdf(double start, double mass, double[] support, double x) {
        if (x <= support[0]) {
            return start;
        }
        if (x >= support[1]) {
            return start + mass;
        }
        return start + mass * (x - support[0]) / (support[1] - support[0]);
    }

    /** The integral over t in [0, 1] of |a + b t|. */
    private static double integralOfAbsLinear(double a, double b) {
        double end = a + b;
        if (a * end >= 0) {
            return Math.abs(a + b / 2);
        }
        return (a * a + end * end) / (2 * Math.abs(b));
    }

    private double lower(int bin) {
        int k = bin / 2;
        return k == 0 ? Math.min(ref.min(), cur.min()) : layout.edge(k - 1);
    }

    private double upper(int bin) {
        int k = bin / 2;
        return k == layout.edgeCount() ? Math.max(ref.max(), cur.max()) : layout.edge(k);
    }

    /** Counts per distinct value (in bins: per non-empty bin), reference in row 0, current in row 1. */
    long[][] valueCounts() {
        if (exact) {
            double[] keys = EvidentlyBinning.unionDistinct(
                    ref.sortedValues(), ref.exactSize(), cur.sortedValues(), cur.exactSize());
            return new long[][] {
                EvidentlyBinning.countsPerValue(ref.sortedValues(), ref.exactSize(), keys),
                EvidentlyBinning.countsPerValue(cur.sortedValues(), cur.exactSize(), keys)
            };
        }
        List<long[]> pairs = new ArrayList<>();
        for (int b = 0; b < refBins.length; b++) {
            if (refBins[b] + curBins[b] > 0) {
                pairs.add(new long[] {refBins[b], curBins[b]});
            }
        }
        long[][] out = new long[2][pairs.size()];
        for (int i = 0; i < pairs.size(); i++) {
            out[0][i] = pairs.get(i)[0];
            out[1][i] = pairs.get(i)[1];
        }
        return out;
    }

    /** Whether any value fell strictly between edges (then per-value counts are per-bin counts). */
    boolean valuesBetweenEdges() {
        if (exact) {
            return false;
        }
        for (int b = 0; b < refBins.length; b += 2) {
            if (refBins[b] + curBins[b] > 0) {
                return true;
            }
        }
        return false;
    }

    /** Evidently's binned proportions (Sturges histogram or per value), without zero filling. */
    Estimate binnedPercents(double[][] out) {
        if (exact) {
            double[][] p = EvidentlyBinning.binnedPercents(
                    ref.sortedValues(), ref.exactSize(), cur.sortedValues(), cur.exactSize());
            out[0] = p[0];
            out[1] = p[1];
            return new Estimate(TestOutcome.undefined(), 0);
        }
        int refDistinct = 0;
        for (long c : refBins) {
            if (c > 0) {
                refDistinct++;
            }
        }
        if (refDistinct <= EvidentlyBinning.MAX_DISTINCT_FOR_VALUE_BINS) {
            long[][] counts = valueCounts();
            out[0] = DriftStatistics.percents(counts[0], ref.count());
            out[1] = DriftStatistics.percents(counts[1], cur.count());
            return new Estimate(TestOutcome.undefined(), valuesBetweenEdges() ? 1 : 0);
        }
        double[] edges = EvidentlyBinning.sturgesEdges(
                Math.min(ref.min(), cur.min()), Math.max(ref.max(), cur.max()), ref.count() + cur.count());
        double[] r = new double[edges.length - 1];
        double[] c = new double[edges.length - 1];
        double split = 0;
        for (int b = 0; b < refBins.length; b++) {
            if (refBins[b] + curBins[b] == 0) {
                continue;
            }
            double pr = refBins[b] / (double) ref.count();
            double pc = curBins[b] / (double) cur.count();
            if (BinLayout.isPoint(b)) {
                int s = sturgesIndex(edges, layout.edge(b / 2));
                r[s] += pr;
                c[s] += pc;
            } else if (spread(edges, lower(b), upper(b), pr, pc, r, c)) {
                split += Math.max(pr, pc);
            }
        }
        out[0] = r;
        out[1] = c;
        return new Estimate(TestOutcome.undefined(), split);
    }

    private static int sturgesIndex(double[] edges, double v) {
        int s = EvidentlyBinning.upperBound(edges, edges.length, v) - 1;
        return Math.max(0, Math.min(edges.length - 2, s));
    }

    /** Spreads an interval's mass uniformly over the Sturges bins it overlaps; true if it was split. */
    private static boolean spread(double[] edges, double lo, double hi, double pr, double pc, double[] r, double[] c) {
        int first = sturgesIndex(edges, lo);
        int last = sturgesIndex(edges, hi);
        if (first == last || hi <= lo) {
            r[first] += pr;
            c[first] += pc;
            return false;
        }
        for (int s = first; s <= last; s++) {
            double overlap = Math.min(hi, edges[s + 1]) - Math.max(lo, edges[s]);
            double share = Math.max(0, overlap) / (hi - lo);
            r[s] += pr * share;
            c[s] += pc * share;
        }
        return true;
    }
}
