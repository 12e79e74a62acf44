package dev.cairn.drift;

/**
 * Survival functions of the Kolmogorov-Smirnov statistic, following SciPy's {@code scipy.stats.kstwo}
 * ({@code _ksstats.kolmogn}, Simard and L'Ecuyer's choice of method) and the one-sided Smirnov
 * distribution ({@code scipy.special.smirnov}), so that p-values agree with SciPy.
 */
final class KolmogorovDistribution {
    private static final double EP128 = Math.scalb(1.0, 128);
    private static final double EM128 = Math.scalb(1.0, -128);
    private static final double SQRT2PI = Math.sqrt(2 * Math.PI);
    private static final double LOG_2PI = Math.log(2 * Math.PI);
    private static final double MIN_LOG = -708;
    private static final double PI_SQUARED = Math.PI * Math.PI;
    private static final double PI_FOUR = PI_SQUARED * PI_SQUARED;
    private static final double PI_SIX = PI_FOUR * PI_SQUARED;
    private static final double[] STIRLING = {
        -2.955065359477124183e-2, 6.4102564102564102564e-3, -1.9175269175269175269e-3, 8.4175084175084175084e-4,
        -5.952380952380952381e-4, 7.9365079365079365079e-4, -2.7777777777777777778e-3, 8.3333333333333333333e-2
    };
    private static final int SMIRNOV_MAX_COMPUTE_N = 1_000_000;
    private static final double CEPHES_MINLOG = -7.451332191019412076235e2;

    private KolmogorovDistribution() {}

    /** {@code kstwo.sf(x, n)}: the probability that the two-sided statistic of n samples exceeds x. */
    static double twoSidedSf(int n, double x) {
        if (Double.isNaN(x) || n <= 0) {
            return Double.NaN;
        }
        if (x >= 1.0) {
            return 0.0;
        }
        if (x <= 0.0) {
            return 1.0;
        }
        double t = n * x;
        if (t <= 1.0) {
            if (t <= 0.5) {
                return 1.0;
            }
            double prob;
            if (n <= 140) {
                prob = 1.0;
                for (int i = 1; i <= n; i++) {
                    prob *= i * (1.0 / n) * (2 * t - 1);
                }
            } else {
                prob = Math.exp(logFactorialOverPower(n) + n * Math.log(2 * t - 1));
            }
            return clip(1.0 - prob);
        }
        if (t >= n - 1) {
            return clip(2 * Math.pow(1.0 - x, n));
        }
        if (x >= 0.5) {
            return clip(2 * smirnovSf(n, x));
        }
        double nxSquared = t * x;
        if (n <= 140) {
            if (nxSquared <= 0.754693) {
                return clip(1.0 - durbinMatrix(n, x));
            }
            if (nxSquared <= 4) {
                return clip(1.0 - pomeranz(n, x));
            }
            return clip(2 * smirnovSf(n, x));
        }
        if (nxSquared >= 370.0) {
            return 0.0;
        }
        if (nxSquared >= 2.2) {
            return clip(2 * smirnovSf(n, x));
        }
        double cdf;
        if (nxSquared >= 18.0) {
            cdf = 1.0;
        } else if (n <= 100000 && n * Math.pow(x, 1.5) <= 1.4) {
            cdf = durbinMatrix(n, x);
        } else {
            cdf = pelzGood(n, x);
        }
        return clip(1.0 - cdf);
    }

    private static double logFactorialOverPower(int n) {
        double rn = 1.0 / n;
        double poly = 0;
        double z = rn / n;
        for (double c : STIRLING) {
            poly = poly * z + c;
        }
        return Math.log(n) / 2 - n + LOG_2PI / 2 + rn * poly;
    }

    private static double clip(double p) {
        return Math.max(0.0, Math.min(1.0, p));
    }

    /** Pr(D_n <= d) by the Durbin matrix method as Marsaglia, Tsang and Wang compute it. */
    static double durbinMatrix(int n, double d) {
        if (d >= 1.0) {
            return 1.0;
        }
        double nd = n * d;
        if (nd <= 0.5) {
            return 0.0;
        }
        int k = (int) Math.ceil(nd);
        double h = k - nd;
        int m = 2 * k - 1;
        double[][] hm = new double[m][m];
        double[] v = new double[m];
        double[] w = new double[m];
        double fac = 1.0;
        for (int j = 1; j <= m; j++) {
            v[j - 1] = 1.0 - Math.pow(h, j);
            w[j - 1] = fac;
            fac /= j;
            v[j - 1] *= fac;
        }
        double tt = Math.pow(Math.max(2 * h - 1.0, 0), m) - 2 * Math.pow(h, m);
        v[m - 1] = (1.0 + tt) * fac;
        for (int i = 1; i < m; i++) {
            for (int r = i - 1; r < m; r++) {
                hm[r][i] = w[r - (i - 1)];
            }
        }
        for (int r = 0; r < m; r++) {
            hm[r][0] = v[r];
        }
        for (int c = 0; c < m; c++) {
            hm[m - 1][c] = v[m - 1 - c];
        }
        double[][] power = identity(m);
        int nn = n;
        int exponent = 0;
        int hExponent = 0;
        while (nn > 0) {
            if (nn % 2 == 1) {
                power = multiply(power, hm);
                exponent += hExponent;
            }
            hm = multiply(hm, hm);
            hExponent *= 2;
            if (Math.abs(hm[k - 1][k - 1]) > EP128) {
                scale(hm, 1.0 / EP128);
                hExponent += 128;
            }
            nn /= 2;
        }
        double p = power[k - 1][k - 1];
        for (int i = 1; i <= n; i++) {
            p = i * p / n;
            if (Math.abs(p) < EM128) {
                p *= EP128;
                exponent -= 128;
            }
        }
        if (exponent != 0) {
            p = Math.scalb(p, exponent);
        }
        return clip(p);
    }

    private static double[][] identity(int m) {
        double[][] a = new double[m][m];
        for (int i = 0; i < m; i++) {
            a[i][i] = 1.0;
        }
        return a;
    }

    private static double[][] multiply(double[][] a, double[][] b) {
        int m = a.length;
        double[][] c = new double[m][m];
        for (int i = 0; i < m; i++) {
            for (int l = 0; l < m; l++) {
                double ail = a[i][l];
                if (ail == 0.0) {
                    continue;
                }
                for (int j = 0; j < m; j++) {
                    c[i][j] += ail * b[l][j];
                }
            }
        }
        return c;
    }

    private static void scale(double[][] a, double factor) {
        for (double[] row : a) {
            for (int j = 0; j < row.length; j++) {
                row[j] *= factor;
            }
        }
    }

    /** Pr(D_n <= x) by Pomeranz's recursion. */
    static double pomeranz(int n, double x) {
        double t = n * x;
        int ll = (int) Math.floor(t);
        double f = t - ll;
        double g = Math.min(f, 1.0 - f);
        int ceilf = f > 0 ? 1 : 0;
        int roundf = f > 0.5 ? 1 : 0;
        int npwrs = 2 * (ll + 1);
        double[] gpower = new double[npwrs];
        double[] twogpower = new double[npwrs];
        double[] onem2gpower = new double[npwrs];
        gpower[0] = 1.0;
        twogpower[0] = 1.0;
        onem2gpower[0] = 1.0;
        int expnt = 0;
        double gOverN = g / n;
        double twoGOverN = 2 * g / n;
        double oneMinusTwoGOverN = (1 - 2 * g) / n;
        for (int m = 1; m < npwrs; m++) {
            gpower[m] = gpower[m - 1] * gOverN / m;
            twogpower[m] = twogpower[m - 1] * twoGOverN / m;
            onem2gpower[m] = onem2gpower[m - 1] * oneMinusTwoGOverN / m;
        }
        double[] v0 = new double[npwrs];
        double[] v1 = new double[npwrs];
        v1[0] = 1;
        int v0s = 0;
        int v1s = 0;
        int[] j12 = pomeranzBounds(0, n, ll, ceilf, roundf);
        for (int i = 1; i < 2 * n + 2; i++) {
            int k1 = j12[0];
            double[] swap = v0;
            v0 = v1;
            v1 = swap;
            int swaps = v0s;
            v0s = v1s;
            v1s = swaps;
            java.util.Arrays.fill(v1, 0.0);
            j12 = pomeranzBounds(i, n, ll, ceilf, roundf);
            int j1 = j12[0];
            int j2 = j12[1];
            double[] pwrs = (i == 1 || i == 2 * n + 1) ? gpower : (i % 2 == 1 ? twogpower : onem2gpower);
            int ln2 = j2 - k1 + 1;
            if (ln2 > 0) {
                int convStart = j1 - k1;
                int convLen = j2 - j1 + 1;
                for (int c = 0; c < convLen; c++) {
                    int idx = convStart + c;
                    double sum = 0.0;
                    for (int a = Math.max(0, idx - ln2 + 1); a <= Math.min(idx, ln2 - 1); a++) {
                        sum += v0[k1 - v0s + a] * pwrs[idx - a];
                    }
                    v1[c] = sum;
                }
                double max = Double.NEGATIVE_INFINITY;
                for (double value : v1) {
                    max = Math.max(max, value);
                }
                if (0 < max && max < EM128) {
                    for (int c = 0; c < v1.length; c++) {
                        v1[c] *= EP128;
                    }
                    expnt -= 128;
                }
                v1s = v0s + j1 - k1;
            }
        }
        double ans = v1[n - v1s];
        for (int m = 1; m <= n; m++) {
            if (Math.abs(ans) > EP128) {
                ans *= EM128;
                expnt += 128;
            }
            ans *= m;
        }
        if (expnt != 0) {
            ans = Math.scalb(ans, expnt);
        }
        return clip(ans);
    }

    private static int[] pomeranzBounds(int i, int n, int ll, int ceilf, int roundf) {
        int j1;
        int j2;
        if (i == 0) {
            j1 = -ll - ceilf - 1;
            j2 = ll + ceilf - 1;
        } else {
            int ip1div2 = (i + 1) / 2;
            int ip1mod2 = (i + 1) % 2;
            if (ip1mod2 == 0) {
                if (ip1div2 == n + 1) {
                    j1 = n - ll - ceilf - 1;
                    j2 = n + ll + ceilf - 1;
                } else {
                    j1 = ip1div2 - 1 - ll - roundf - 1;
                    j2 = ip1div2 + ll - 1 + ceilf - 1;
                }
            } else {
                j1 = ip1div2 - 1 - ll - 1;
                j2 = ip1div2 + ll + roundf - 1;
            }
        }
        return new int[] {Math.max(j1 + 2, 0), Math.min(j2, n)};
    }

    /** Pelz and Good's asymptotic approximation of Pr(D_n <= x). */
    static double pelzGood(int n, double x) {
        if (x <= 0.0) {
            return 0.0;
        }
        if (x >= 1.0) {
            return 1.0;
        }
        double z = Math.sqrt(n) * x;
        double z2 = z * z;
        double z3 = z2 * z;
        double z4 = z2 * z2;
        double z6 = z4 * z2;
        double qlog = -PI_SQUARED / 8 / z2;
        if (qlog < MIN_LOG) {
            return 0.0;
        }
        double q = Math.exp(qlog);
        double k1a = -z2;
        double k1b = PI_SQUARED / 4;
        double k2a = 6 * z6 + 2 * z4;
        double k2b = (2 * z4 - 5 * z2) * PI_SQUARED / 4;
        double k2c = PI_FOUR * (1 - 2 * z2) / 16;
        double k3d = PI_SIX * (5 - 30 * z2) / 64;
        double k3c = PI_FOUR * (-60 * z2 + 212 * z4) / 16;
        double k3b = PI_SQUARED * (135 * z4 - 96 * z6) / 4;
        double k3a = -30 * z6 - 90 * Math.pow(z, 8);
        double[] kk = new double[4];
        int maxk = (int) Math.ceil(16 * z / Math.PI);
        for (int k = maxk; k > 0; k--) {
            double m = 2 * k - 1;
            double m2 = m * m;
            double m4 = m2 * m2;
            double m6 = m4 * m2;
            double qpower = Math.pow(q, 8 * k);
            double[] coeffs = {1.0, k1a + k1b * m2, k2a + k2b * m2 + k2c * m4, k3a + k3b * m2 + k3c * m4 + k3d * m6};
            for (int i = 0; i < 4; i++) {
                kk[i] = kk[i] * qpower + coeffs[i];
            }
        }
        double[] divisors = {z, 6 * z4, 72 * Math.pow(z, 7), 6480 * Math.pow(z, 10)};
        for (int i = 0; i < 4; i++) {
            kk[i] = kk[i] * q * SQRT2PI / divisors[i];
        }
        q = Math.exp(-PI_SQUARED / 2 / z2);
        double k2extra = 0;
        double k3extra = 0;
        double sqrt3z = Math.sqrt(3) * z;
        for (int k = maxk; k > 0; k--) {
            double ksq = (double) k * k;
            double qp = Math.pow(q, ksq);
            double kspi = Math.PI * k;
            k2extra += ksq * qp;
            k3extra += (sqrt3z + kspi) * (sqrt3z - kspi) * ksq * qp;
        }
        kk[2] += k2extra * (PI_SQUARED * SQRT2PI / (-36 * z3));
        kk[3] += k3extra * (PI_SQUARED * SQRT2PI / (216 * z6));
        double sum = 0;
        for (int i = 0; i < 4; i++) {
            sum += kk[i] / Math.pow(n, i / 2.0);
        }
        return sum;
    }

    /**
     * One-sided Smirnov survival function Pr(D+_n >= x), by the Birnbaum-Tingey sum of positive terms
     * computed in logarithms (no cancellation, so plain double precision suffices).
     */
    static double smirnovSf(int n, double x) {
        if (!(n > 0 && x >= 0.0 && x <= 1.0)) {
            return Double.NaN;
        }
        if (n == 1) {
            return 1 - x;
        }
        if (x == 0.0) {
            return 1.0;
        }
        if (x == 1.0) {
            return 0.0;
        }
        double nx = n * x;
        int nxfl = (int) Math.floor(nx);
        if (nxfl == 0 || (nxfl == 1 && nx == 1.0)) {
            double cdf = x * Math.pow(1 + x, n - 1);
            return 1 - cdf;
        }
        if (-2 * n * x * x < CEPHES_MINLOG) {
            return 0.0;
        }
        if (nxfl >= n - 1) {
            return Math.pow(1 - x, n);
        }
        if (n > SMIRNOV_MAX_COMPUTE_N) {
            double logp = -Math.pow(6.0 * n * x + 1, 2) / 18.0 / n;
            return logp < -Math.log(2) ? Math.exp(logp) : 1 + Math.expm1(logp);
        }
        // sf = x * sum_{j=0}^{n-floor(nx)-1} C(n,j) (1-x-j/n)^(n-j) (x+j/n)^(j-1); all terms are positive.
        int terms = n - nxfl;
        double logBinom = 0;
        double reference = Double.NaN;
        double sum = 0;
        for (int j = 0; j < terms; j++) {
            if (j > 0) {
                logBinom += Math.log((double) (n - j + 1) / j);
            }
            double a = (double) (n - j) / n - x;
            if (a <= 0) {
                break;
            }
            double b = (double) j / n + x;
            double logTerm = logBinom + (n - j) * Math.log(a) + (j - 1) * Math.log(b);
            if (Double.isNaN(reference)) {
                reference = logTerm;
            } else if (logTerm > reference) {
                sum *= Math.exp(reference - logTerm);
                reference = logTerm;
            }
            double term = Math.exp(logTerm - reference);
            sum += term;
            if (j > 0 && 4.0 * (terms - j) * term < 0x1p-52 * sum) {
                break;
            }
        }
        return clip(x * sum * Math.exp(reference));
    }
}
