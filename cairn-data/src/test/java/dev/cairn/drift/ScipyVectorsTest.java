package dev.cairn.drift;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The statistics agree with SciPy on the committed vectors of {@code make_drift_vectors.py}. */
class ScipyVectorsTest {
    private static JsonNode vectors;

    @BeforeAll
    static void load() throws IOException {
        try (InputStream in = ScipyVectorsTest.class.getResourceAsStream("/drift/scipy-vectors.json")) {
            vectors = new ObjectMapper()
                    .enable(com.fasterxml.jackson.core.json.JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS.mappedFeature())
                    .readTree(in);
        }
    }

    /** Absolute 1e-9 near zero, relative 1e-9 elsewhere; NaN and infinities must match exactly. */
    static void assertClose(String what, double actual, double expected) {
        if (Double.isNaN(expected) || Double.isInfinite(expected)) {
            assertThat(Double.valueOf(actual)).as(what).isEqualTo(Double.valueOf(expected));
            return;
        }
        double tolerance = 1e-9 * Math.max(1.0, Math.abs(expected));
        assertThat(Math.abs(actual - expected))
                .as("%s: %s vs SciPy %s", what, actual, expected)
                .isLessThanOrEqualTo(tolerance);
    }

    /** Relative 1e-9 for p-values, which matter down to tiny magnitudes. */
    static void assertRelative(String what, double actual, double expected) {
        if (Double.isNaN(expected) || expected == 0) {
            assertThat(Double.valueOf(actual)).as(what).isEqualTo(Double.valueOf(expected));
            return;
        }
        assertThat(Math.abs(actual - expected))
                .as("%s: %s vs SciPy %s", what, actual, expected)
                .isLessThanOrEqualTo(1e-9 * Math.abs(expected) + Double.MIN_NORMAL);
    }

    static double[] doubles(JsonNode array) {
        double[] out = new double[array.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = array.get(i).asDouble();
        }
        return out;
    }

    @Test
    void numericStatisticsAgreeWithScipy() {
        for (JsonNode c : vectors.get("numeric")) {
            String name = c.get("name").asText();
            double[] ref = doubles(c.get("reference"));
            double[] cur = doubles(c.get("current"));
            TestOutcome ks = DriftStatistics.kolmogorovSmirnov(ref, cur);
            assertClose(
                    name + " ks statistic",
                    ks.statistic(),
                    c.get("ks_statistic").asDouble());
            assertRelative(name + " ks p-value", ks.score(), c.get("ks_pvalue").asDouble());
            assertClose(
                    name + " wasserstein",
                    DriftStatistics.wasserstein(ref, cur),
                    c.get("wasserstein").asDouble());
            assertClose(
                    name + " normed wasserstein",
                    DriftStatistics.normedWasserstein(ref, cur).score(),
                    c.get("wasserstein_normed").asDouble());
            double[] r = ref.clone();
            double[] k = cur.clone();
            java.util.Arrays.sort(r);
            java.util.Arrays.sort(k);
            double[][] percents = EvidentlyBinning.binnedPercents(r, r.length, k, k.length);
            assertClose(
                    name + " psi",
                    DriftStatistics.psi(
                                    DriftStatistics.fillZeroes(percents[0]), DriftStatistics.fillZeroes(percents[1]))
                            .score(),
                    c.get("psi").asDouble());
            assertClose(
                    name + " jensen-shannon",
                    DriftStatistics.jensenShannon(percents[0], percents[1]).score(),
                    c.get("jensenshannon").asDouble());
        }
    }

    @Test
    void categoricalStatisticsAgreeWithScipy() {
        for (JsonNode c : vectors.get("categorical")) {
            String name = c.get("name").asText();
            Map<String, long[]> counts = new TreeMap<>();
            c.get("reference").forEach(v -> counts.computeIfAbsent(v.asText(), x -> new long[2])[0]++);
            c.get("current").forEach(v -> counts.computeIfAbsent(v.asText(), x -> new long[2])[1]++);
            long[] ref = counts.values().stream().mapToLong(a -> a[0]).toArray();
            long[] cur = counts.values().stream().mapToLong(a -> a[1]).toArray();
            TestOutcome chi = DriftStatistics.chiSquare(ref, cur);
            assertClose(
                    name + " chi-square statistic",
                    chi.statistic(),
                    c.get("chisquare_statistic").asDouble());
            assertRelative(
                    name + " chi-square p-value",
                    chi.score(),
                    c.get("chisquare_pvalue").asDouble());
            long nRef = DriftStatistics.sum(ref);
            long nCur = DriftStatistics.sum(cur);
            double[] rp = DriftStatistics.percents(ref, nRef);
            double[] cp = DriftStatistics.percents(cur, nCur);
            assertClose(
                    name + " psi",
                    DriftStatistics.psi(DriftStatistics.fillZeroes(rp), DriftStatistics.fillZeroes(cp))
                            .score(),
                    c.get("psi").asDouble());
            assertClose(
                    name + " jensen-shannon",
                    DriftStatistics.jensenShannon(rp, cp).score(),
                    c.get("jensenshannon").asDouble());
            assertClose(
                    name + " l-infinity",
                    DriftStatistics.lInfinity(rp, cp).score(),
                    c.get("linf").asDouble());
            if (c.has("z_pvalue")) {
                TestOutcome z = DriftStatistics.zTest(ref[0], nRef, cur[0], nCur);
                assertRelative(name + " z p-value", z.score(), c.get("z_pvalue").asDouble());
                assertClose(
                        name + " z statistic",
                        z.statistic(),
                        c.get("z_statistic").asDouble());
            }
        }
    }

    @Test
    void exactKolmogorovSmirnovPValuesAgreeWithScipy() {
        List<String> checked = new ArrayList<>();
        for (JsonNode c : vectors.get("ks_exact")) {
            int n1 = c.get("n1").asInt();
            int n2 = c.get("n2").asInt();
            double d = c.get("d").asDouble();
            assertRelative(
                    "ks p-value n1=" + n1 + " n2=" + n2 + " d=" + d,
                    DriftStatistics.ksPValue(d, n1, n2),
                    c.get("pvalue").asDouble());
            checked.add(n1 + "/" + n2);
        }
        assertThat(new TreeSet<>(checked)).hasSizeGreaterThanOrEqualTo(10);
    }

    @Test
    void kolmogorovSurvivalFunctionAgreesWithScipyInEveryRegime() {
        for (JsonNode c : vectors.get("kstwo_sf")) {
            int n = c.get("n").asInt();
            double x = c.get("x").asDouble();
            assertRelative(
                    "kstwo.sf(" + x + ", " + n + ")",
                    KolmogorovDistribution.twoSidedSf(n, x),
                    c.get("sf").asDouble());
        }
    }
}
