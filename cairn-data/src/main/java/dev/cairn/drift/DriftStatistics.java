package dev.cairn.drift;

import java.util.Arrays;
import org.apache.commons.math3.distribution.NormalDistribution;
import org.apache.commons.math3.special.Gamma;

/**
 * The drift statistics on plain arrays, each computed exactly as the SciPy function Evidently calls
 * (see {@code cairn-data/README.md}, "Drift statistics"). Inputs are finite values: callers drop nulls,
 * NaN and infinities first. An empty input gives {@link TestOutcome#undefined()}, never an exception.
 */
public final class DriftStatistics {
    /** {@code ks_2samp(method='auto')} computes the exact p-value up to this sample size. */
    static final int KS_MAX_EXACT_N = 10_000;

    private static final NormalDistribution STANDARD_NORMAL = new NormalDistribution(null, 0, 1);

    private DriftStatistics() {}

    /**
     * Two-sample two-sided Kolmogorov-Smirnov test as {@code scipy.stats.ks_2samp(a, b, method='auto')}:
     * the statistic is the largest distance between the two empirical CDFs; the p-value is exact when
     * both samples have at most 10,000 values, else {@code kstwo.sf(D, round(n1 n2 / (n1 + n2)))}.
     */
    public static TestOutcome kolmogorovSmirnov(double[] a, double[] b) {
        if (a.length == 0 || b.length == 0) {
            return TestOutcome.undefined();
        }
        double[] x = a.clone();
        double[] y = b.clone();
        Arrays.sort(x);
        Arrays.sort(y);
        double d = ksStatisticSorted(x, x.length, y, y.length);
        return new TestOutcome(d, ksPValue(d, x.length, y.length));
    }

    /** The KS statistic of two sorted samples: the largest gap between their empirical CDFs. */
    static double ksStatisticSorted(double[] x, int n1, double[] y, int n2) {
        int i = 0;
        int j = 0;
        double maxPlus = 0;
        double maxMinus = 0;
        while (i < n1 || j < n2) {
            double v;
            if (j >= n2 || (i < n1 && x[i] <= y[j])) {
                v = x[i];
            } else {
                v = y[j];
            }
            while (i < n1 && x[i] == v) {
                i++;
            }
            while (j < n2 && y[j] == v) {
                j++;
            }
            double diff = (double) i / n1 - (double) j / n2;
            maxPlus = Math.max(maxPlus, diff);
            maxMinus = Math.max(maxMinus, -diff);
        }
        return Math.min(1.0, Math.max(maxPlus, maxMinus));
    }

    /** The two-sided KS p-value for statistic {@code d} and sample sizes, as {@code ks_2samp} chooses it. */
    public static double ksPValue(double d, long n1, long n2) {
        if (n1 <= 0 || n2 <= 0 || Double.isNaN(d)) {
            return Double.NaN;
        }
        if (Math.max(n1, n2) <= KS_MAX_EXACT_N) {
            long g = gcd(n1, n2);
            long lcm = (n1 / g) * n2;
            long h = (long) Math.rint(d * lcm);
            if (h == 0) {
                return 1.0;
            }
            double exact = n1 == n2 ? outsideSquare((int) n1, (int) h) : outerInside((int) n1, (int) n2, (int) g, h);
            if (exact >= 0 && exact <= 1) {
                return exact;
            }
            // SciPy falls back to the asymptotic distribution with the statistic rounded to the lattice.
            d = (double) h / lcm;
        }
        double m = Math.max(n1, n2);
        double n = Math.min(n1, n2);
        double en = m * n / (m + n);
        return clip(KolmogorovDistribution.twoSidedSf((int) Math.rint(en), d));
    }

    private static long gcd(long a, long b) {
        return b == 0 ? a : gcd(b, a % b);
    }

    private static double outsideSquare(int n, int h) {
        double p = 0.0;
        int k = n / h;
        while (k >= 0) {
            double p1 = 1.0;
            for (int j = 0; j < h; j++) {
                p1 = (n - (double) k * h - j) * p1 / (n + (double) k * h + j + 1);
            }
            p = p1 * (1.0 - p);
            k--;
        }
        return 2 * p;
    }

    private static double outerInside(int m0, int n0, int g, long h) {
        int m = Math.max(m0, n0);
        int n = Math.min(m0, n0);
        long mg = m / g;
        long ng = n / g;
        int minj = 0;
        int maxj = (int) Math.min((long) Math.ceil((double) h / mg), n + 1);
        int curlen = maxj - minj;
        int lenA = Math.min(2 * maxj + 2, n + 1);
        double[] a = new double[lenA];
        Arrays.fill(a, 1.0);
        Arrays.fill(a, minj, maxj, 0.0);
        for (int i = 1; i <= m; i++) {
            int lastminj = minj;
            int lastlen = curlen;
            minj = Math.max((int) Math.floor((double) (ng * i - h) / mg) + 1, 0);
            minj = Math.min(minj, n);
            maxj = (int) Math.min((long) Math.ceil((double) (ng * i + h) / mg), n + 1);
            if (maxj <= minj) {
                return 1.0;
            }
            double val = minj == 0 ? 0.0 : 1.0;
            for (int jj = 0; jj < maxj - minj; jj++) {
                int j = jj + minj;
                val = (a[jj + minj - lastminj] * i + val * j) / (i + j);
                a[jj] = val;
            }
            curlen = maxj - minj;
            if (lastlen > curlen) {
                Arrays.fill(a, maxj - minj, maxj - minj + (lastlen - curlen), 1.0);
            }
        }
        return a[maxj - minj - 1];
    }

    /**
     * Evidently's chi-square test: {@code scipy.stats.chisquare(current, reference * n_cur / n_ref)} over
     * the union of categories. A category absent from the reference makes the statistic infinite and the
     * p-value 0; a single category gives p-value NaN (no degree of freedom), as SciPy.
     */
    public static TestOutcome chiSquare(long[] referenceCounts, long[] currentCounts) {
        long nRef = sum(referenceCounts);
        long nCur = sum(currentCounts);
        if (nRef == 0 || nCur == 0) {
            return TestOutcome.undefined();
        }
        double kNorm = (double) nCur / nRef;
        double stat = 0;
        for (int i = 0; i < referenceCounts.length; i++) {
            double expected = referenceCounts[i] * kNorm;
            double diff = currentCounts[i] - expected;
            stat += diff * diff / expected;
        }
        int dof = referenceCounts.length - 1;
        return new TestOutcome(stat, chiSquareSf(stat, dof));
    }

    /** {@code scipy.stats.chi2.sf(x, dof)}. */
    static double chiSquareSf(double x, int dof) {
        if (dof <= 0 || Double.isNaN(x)) {
            return Double.NaN;
        }
        if (x == Double.POSITIVE_INFINITY) {
            return 0.0;
        }
        if (x <= 0) {
            return 1.0;
        }
        return Gamma.regularizedGammaQ(dof / 2.0, x / 2.0, 1e-16, Integer.MAX_VALUE);
    }

    /**
     * Evidently's two-proportion Z-test for a column with at most two values: the share of the first
     * value (in sorted order) in each sample, pooled standard error, two-sided p-value
     * {@code 2 * (1 - Phi(|z|))}; 1 when both samples hold the same single value.
     */
    public static TestOutcome zTest(long referenceFirst, long referenceTotal, long currentFirst, long currentTotal) {
        if (referenceTotal == 0 || currentTotal == 0) {
            return TestOutcome.undefined();
        }
        double p1 = (double) (referenceTotal - referenceFirst) / referenceTotal;
        double p2 = (double) (currentTotal - currentFirst) / currentTotal;
        double pooled = (p1 * referenceTotal + p2 * currentTotal) / (referenceTotal + currentTotal);
        if (pooled == 0.0 || pooled == 1.0) {
            return new TestOutcome(0.0, 1.0);
        }
        double z = (p1 - p2) / Math.sqrt(pooled * (1 - pooled) * (1.0 / referenceTotal + 1.0 / currentTotal));
        return new TestOutcome(z, 2 * (1 - STANDARD_NORMAL.cumulativeProbability(Math.abs(z))));
    }

    /**
     * Population Stability Index: {@code sum((r - c) * ln(r / c))} over bins of proportions that
     * {@link #fillZeroes(double[])} has made positive.
     */
    public static TestOutcome psi(double[] referencePercents, double[] currentPercents) {
        if (referencePercents.length == 0) {
            return TestOutcome.undefined();
        }
        double psi = 0;
        for (int i = 0; i < referencePercents.length; i++) {
            double r = referencePercents[i];
            double c = currentPercents[i];
            psi += (r - c) * Math.log(r / c);
        }
        return TestOutcome.distance(psi);
    }

    /**
     * Jensen-Shannon distance as {@code scipy.spatial.distance.jensenshannon(p, q)} with the natural
     * logarithm: both vectors normalized to sum 1, {@code sqrt((KL(p||m) + KL(q||m)) / 2)}, m = (p + q) / 2,
     * with {@code 0 * log 0 = 0}. Lies in [0, sqrt(ln 2)].
     */
    public static TestOutcome jensenShannon(double[] p, double[] q) {
        double sp = sum(p);
        double sq = sum(q);
        if (p.length == 0 || sp == 0 || sq == 0) {
            return TestOutcome.undefined();
        }
        double left = 0;
        double right = 0;
        for (int i = 0; i < p.length; i++) {
            double pi = p[i] / sp;
            double qi = q[i] / sq;
            double m = (pi + qi) / 2.0;
            left += relativeEntropy(pi, m);
            right += relativeEntropy(qi, m);
        }
        return TestOutcome.distance(Math.sqrt((left + right) / 2.0));
    }

    private static double relativeEntropy(double x, double y) {
        if (x > 0 && y > 0) {
            return x * Math.log(x / y);
        }
        return x == 0 && y >= 0 ? 0.0 : Double.POSITIVE_INFINITY;
    }

    /**
     * First Wasserstein distance between two samples ({@code scipy.stats.wasserstein_distance}): the
     * integral of the absolute difference of the empirical CDFs.
     */
    public static double wasserstein(double[] u, double[] v) {
        if (u.length == 0 || v.length == 0) {
            return Double.NaN;
        }
        double[] x = u.clone();
        double[] y = v.clone();
        Arrays.sort(x);
        Arrays.sort(y);
        return wassersteinSorted(x, x.length, y, y.length);
    }

    /** Wasserstein-1 of two sorted prefixes {@code x[0..nx)} and {@code y[0..ny)}. */
    static double wassersteinSorted(double[] x, int nx, double[] y, int ny) {
        int i = 0;
        int j = 0;
        double total = 0;
        double previous = Math.min(x[0], y[0]);
        while (i < nx || j < ny) {
            double value = (j >= ny || (i < nx && x[i] <= y[j])) ? x[i] : y[j];
            total += Math.abs((double) i / nx - (double) j / ny) * (value - previous);
            previous = value;
            while (i < nx && x[i] == value) {
                i++;
            }
            while (j < ny && y[j] == value) {
                j++;
            }
        }
        return total;
    }

    /**
     * Evidently's normed Wasserstein distance: {@code wasserstein_distance(ref, cur) / max(std(ref), 0.001)}
     * with the population standard deviation of the reference.
     */
    public static TestOutcome normedWasserstein(double[] reference, double[] current) {
        if (reference.length == 0 || current.length == 0) {
            return TestOutcome.undefined();
        }
        return TestOutcome.distance(wasserstein(reference, current) / Math.max(std(reference), 0.001));
    }

    /** Population standard deviation (ddof 0), two-pass as NumPy. */
    static double std(double[] values) {
        return std(values, values.length);
    }

    /** Population standard deviation of {@code values[0..n)}. */
    static double std(double[] values, int n) {
        double mean = 0;
        for (int i = 0; i < n; i++) {
            mean += values[i];
        }
        mean /= n;
        double ss = 0;
        for (int i = 0; i < n; i++) {
            double d = values[i] - mean;
            ss += d * d;
        }
        return Math.sqrt(ss / n);
    }

    /** L-infinity distance: the largest absolute difference between two proportion vectors. */
    public static TestOutcome lInfinity(double[] referencePercents, double[] currentPercents) {
        if (referencePercents.length == 0) {
            return TestOutcome.undefined();
        }
        double max = 0;
        for (int i = 0; i < referencePercents.length; i++) {
            max = Math.max(max, Math.abs(referencePercents[i] - currentPercents[i]));
        }
        return TestOutcome.distance(max);
    }

    /**
     * Evidently's zero-bin rule ({@code get_binned_data(feel_zeroes=True)}): empty bins receive
     * {@code min(nonzero) / 10^6} when the smallest non-empty bin is at most 0.0001, else 0.0001, so
     * that PSI's logarithm stays finite. Returns a new array.
     */
    public static double[] fillZeroes(double[] percents) {
        double min = Double.POSITIVE_INFINITY;
        for (double p : percents) {
            if (p != 0) {
                min = Math.min(min, p);
            }
        }
        double[] out = percents.clone();
        if (min == Double.POSITIVE_INFINITY) {
            return out;
        }
        double fill = min <= 0.0001 ? min / 1e6 : 0.0001;
        for (int i = 0; i < out.length; i++) {
            if (out[i] == 0) {
                out[i] = fill;
            }
        }
        return out;
    }

    /** Proportions of each count in its total. */
    static double[] percents(long[] counts, long total) {
        double[] p = new double[counts.length];
        for (int i = 0; i < counts.length; i++) {
            p[i] = (double) counts[i] / total;
        }
        return p;
    }

    static long sum(long[] values) {
        long s = 0;
        for (long v : values) {
            s += v;
        }
        return s;
    }

    static double sum(double[] values) {
        double s = 0;
        for (double v : values) {
            s += v;
        }
        return s;
    }

    static double clip(double p) {
        return Double.isNaN(p) ? p : Math.max(0.0, Math.min(1.0, p));
    }
}
