package dev.cairn.drift;

import static dev.cairn.drift.ScipyVectorsTest.assertClose;
import static dev.cairn.drift.ScipyVectorsTest.doubles;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Streamed windows choose Evidently's test and give SciPy's numbers; merged windows equal one window. */
class WindowDriftTest {
    private static JsonNode vectors;

    @BeforeAll
    static void load() throws IOException {
        try (InputStream in = WindowDriftTest.class.getResourceAsStream("/drift/scipy-vectors.json")) {
            vectors = new ObjectMapper()
                    .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS.mappedFeature())
                    .readTree(in);
        }
    }

    private static JsonNode numericCase(String name) {
        for (JsonNode c : vectors.get("numeric")) {
            if (c.get("name").asText().equals(name)) {
                return c;
            }
        }
        throw new AssertionError(name);
    }

    private static JsonNode categoricalCase(String name) {
        for (JsonNode c : vectors.get("categorical")) {
            if (c.get("name").asText().equals(name)) {
                return c;
            }
        }
        throw new AssertionError(name);
    }

    static ColumnDrift streamNumeric(double[] ref, double[] cur) {
        List<DriftColumn> columns = List.of(DriftColumn.numeric("x"));
        Window reference = Window.forReference(columns);
        for (double v : ref) {
            reference.acceptRow(v);
        }
        ReferenceProfile profile = ReferenceProfile.of(reference);
        Window current = profile.newWindow();
        current.acceptNumbers(0, cur, 0, cur.length);
        return DriftAnalysis.compare(profile, current, DriftOptions.defaults())
                .column("x")
                .orElseThrow();
    }

    static ColumnDrift streamCategorical(JsonNode c) {
        List<DriftColumn> columns = List.of(DriftColumn.categorical("c"));
        Window reference = Window.forReference(columns);
        c.get("reference").forEach(v -> reference.acceptRow(v.asText()));
        ReferenceProfile profile = ReferenceProfile.of(reference);
        Window current = profile.newWindow();
        c.get("current").forEach(v -> current.acceptCategory(0, v.asText()));
        return DriftAnalysis.compare(profile, current, DriftOptions.defaults())
                .column("c")
                .orElseThrow();
    }

    @Test
    void smallNumericReferenceUsesKolmogorovSmirnovWithScipyPValue() {
        for (String name : List.of("normal_shift", "skewed", "normal_small", "disjoint", "constant_ref")) {
            JsonNode c = numericCase(name);
            ColumnDrift drift = streamNumeric(doubles(c.get("reference")), doubles(c.get("current")));
            assertThat(drift.test()).as(name).isEqualTo(DriftTest.KS);
            assertThat(drift.approximate()).isFalse();
            assertClose(name + " p", drift.score(), c.get("ks_pvalue").asDouble());
            assertThat(drift.drifted()).isEqualTo(c.get("ks_pvalue").asDouble() <= 0.05);
        }
    }

    @Test
    void largeNumericReferenceUsesNormedWassersteinWithScipyValue() {
        JsonNode c = numericCase("unbalanced");
        ColumnDrift drift = streamNumeric(doubles(c.get("reference")), doubles(c.get("current")));
        assertThat(drift.test()).isEqualTo(DriftTest.WASSERSTEIN);
        assertThat(drift.threshold()).isEqualTo(0.1);
        assertClose("wasserstein", drift.score(), c.get("wasserstein_normed").asDouble());
        assertThat(drift.drifted()).isEqualTo(c.get("wasserstein_normed").asDouble() >= 0.1);
    }

    @Test
    void discreteValuesPastTheExactLimitAreCountedInPointBins() {
        JsonNode c = numericCase("large_asymptotic");
        double[] ref = doubles(c.get("reference"));
        assertThat(ref.length).isGreaterThan(Window.DEFAULT_EXACT_LIMIT);
        ColumnDrift drift = streamNumeric(ref, doubles(c.get("current")));
        assertThat(drift.test()).isEqualTo(DriftTest.WASSERSTEIN);
        assertThat(drift.approximate()).isTrue();
        // Reference values are all edges; only current values above the reference maximum share a bin.
        double scipy = c.get("wasserstein_normed").asDouble();
        assertThat(Math.abs(drift.score() - scipy)).isLessThanOrEqualTo(drift.errorBound());
        assertThat(drift.errorBound()).isLessThan(0.01);
    }

    @Test
    void fewDistinctNumericValuesUseChiSquareOrZ() {
        ColumnDrift ties = streamNumeric(new double[] {1, 2, 3, 1, 2, 3, 1}, new double[] {1, 1, 1, 2, 3});
        assertThat(ties.test()).isEqualTo(DriftTest.CHI_SQUARE);
        ColumnDrift binary = streamNumeric(new double[] {0, 1, 1, 0, 1}, new double[] {1, 1, 1, 1});
        assertThat(binary.test()).isEqualTo(DriftTest.Z);
        assertClose("z", binary.score(), DriftStatistics.zTest(2, 5, 0, 4).score());
    }

    @Test
    void categoricalColumnsUseChiSquareZOrJensenShannonWithScipyValues() {
        JsonNode shifted = categoricalCase("shifted");
        ColumnDrift chi = streamCategorical(shifted);
        assertThat(chi.test()).isEqualTo(DriftTest.CHI_SQUARE);
        assertClose("chi", chi.score(), shifted.get("chisquare_pvalue").asDouble());
        assertThat(chi.drifted()).isTrue();

        JsonNode binary = categoricalCase("binary");
        ColumnDrift z = streamCategorical(binary);
        assertThat(z.test()).isEqualTo(DriftTest.Z);
        assertClose("z", z.score(), binary.get("z_pvalue").asDouble());

        JsonNode unseen = categoricalCase("unseen_category");
        ColumnDrift u = streamCategorical(unseen);
        assertThat(u.unseenCategories()).isPositive();
        assertThat(u.unseenExamples()).containsAnyOf("d", "e");
        assertThat(u.score()).isZero();
        assertThat(u.drifted()).isTrue();
    }

    @Test
    void largeCategoricalReferenceUsesJensenShannon() {
        List<DriftColumn> columns = List.of(DriftColumn.categorical("c"));
        Window reference = Window.forReference(columns);
        Random random = new Random(7);
        for (int i = 0; i < 5000; i++) {
            reference.acceptCategory(0, "k" + random.nextInt(6));
        }
        ReferenceProfile profile = ReferenceProfile.of(reference);
        Window current = profile.newWindow();
        for (int i = 0; i < 3000; i++) {
            current.acceptCategory(0, "k" + Math.min(5, random.nextInt(8)));
        }
        ColumnDrift drift = DriftAnalysis.compare(profile, current, DriftOptions.defaults())
                .column("c")
                .orElseThrow();
        assertThat(drift.test()).isEqualTo(DriftTest.JENSEN_SHANNON);
        assertThat(drift.threshold()).isEqualTo(0.1);
        assertThat(drift.score()).isBetween(0.05, Math.sqrt(Math.log(2)));
    }

    @Test
    void defaultSelectionFollowsEvidentlyRule() {
        assertThat(DriftAnalysis.defaultTest(ColumnKind.NUMERIC, 1000, 6)).isEqualTo(DriftTest.KS);
        assertThat(DriftAnalysis.defaultTest(ColumnKind.NUMERIC, 1000, 5)).isEqualTo(DriftTest.CHI_SQUARE);
        assertThat(DriftAnalysis.defaultTest(ColumnKind.NUMERIC, 1000, 2)).isEqualTo(DriftTest.Z);
        assertThat(DriftAnalysis.defaultTest(ColumnKind.NUMERIC, 1001, 6)).isEqualTo(DriftTest.WASSERSTEIN);
        assertThat(DriftAnalysis.defaultTest(ColumnKind.NUMERIC, 1001, 5)).isEqualTo(DriftTest.JENSEN_SHANNON);
        assertThat(DriftAnalysis.defaultTest(ColumnKind.CATEGORICAL, 10, 3)).isEqualTo(DriftTest.CHI_SQUARE);
        assertThat(DriftAnalysis.defaultTest(ColumnKind.CATEGORICAL, 10, 2)).isEqualTo(DriftTest.Z);
        assertThat(DriftAnalysis.defaultTest(ColumnKind.CATEGORICAL, 5000, 2)).isEqualTo(DriftTest.JENSEN_SHANNON);
    }

    @Test
    void mergedWindowsEqualOneWindowInExactAndBinnedModes() {
        Random random = new Random(11);
        List<DriftColumn> columns = List.of(DriftColumn.numeric("x"), DriftColumn.categorical("c"));
        Window reference = Window.forReference(columns);
        for (int i = 0; i < 30_000; i++) {
            reference.acceptRow(random.nextGaussian(), "k" + random.nextInt(4));
        }
        ReferenceProfile profile = ReferenceProfile.of(reference);
        for (int size : new int[] {3_000, 40_000}) {
            Window whole = profile.newWindow();
            Window a = profile.newWindow();
            Window b = profile.newWindow();
            for (int i = 0; i < size; i++) {
                double x = random.nextGaussian() * 1.2 + 0.1;
                String c = "k" + random.nextInt(5);
                whole.acceptRow(x, c);
                (i % 3 == 0 ? a : b).acceptRow(x, c);
            }
            a.merge(b);
            DriftOptions psi = DriftOptions.defaults().withTestForAll(DriftTest.PSI);
            for (DriftOptions options : List.of(DriftOptions.defaults(), psi)) {
                DriftReport one = DriftAnalysis.compare(profile, whole, options);
                DriftReport merged = DriftAnalysis.compare(profile, a, options);
                for (ColumnDrift c : one.columns()) {
                    ColumnDrift m = merged.column(c.column()).orElseThrow();
                    assertClose(c.column() + " " + c.test(), m.score(), c.score());
                    assertThat(m.current()).isEqualTo(c.current());
                }
            }
            assertThat(a.isExact("x")).isEqualTo(size <= Window.DEFAULT_EXACT_LIMIT);
        }
    }

    @Test
    void binnedStatisticsStayWithinTheirErrorBoundOfTheExactValues() {
        Random random = new Random(3);
        int n = 200_000;
        double[] ref = new double[n];
        double[] cur = new double[n];
        for (int i = 0; i < n; i++) {
            ref[i] = Math.exp(random.nextGaussian());
            cur[i] = Math.exp(random.nextGaussian() * 1.05 + 0.05);
        }
        List<DriftColumn> columns = List.of(DriftColumn.numeric("x"));
        Window reference = Window.forReference(columns);
        reference.acceptNumbers(0, ref, 0, n);
        ReferenceProfile profile = ReferenceProfile.of(reference);
        Window current = profile.newWindow();
        current.acceptNumbers(0, cur, 0, n);
        assertThat(current.isExact("x")).isFalse();
        for (DriftTest test : List.of(DriftTest.WASSERSTEIN, DriftTest.KS)) {
            ColumnDrift drift = DriftAnalysis.compare(
                            profile, current, DriftOptions.defaults().withTestForAll(test))
                    .column("x")
                    .orElseThrow();
            double exact = test == DriftTest.WASSERSTEIN
                    ? DriftStatistics.normedWasserstein(ref, cur).score()
                    : DriftStatistics.kolmogorovSmirnov(ref, cur).statistic();
            double estimate = test == DriftTest.WASSERSTEIN ? drift.score() : drift.statistic();
            System.out.printf("%s estimate %.6f exact %.6f bound %.6f%n", test, estimate, exact, drift.errorBound());
            assertThat(drift.approximate()).isTrue();
            assertThat(Math.abs(estimate - exact))
                    .as("%s estimate %s exact %s bound %s", test, estimate, exact, drift.errorBound())
                    .isLessThanOrEqualTo(drift.errorBound());
            // Log-normal values have a long right tail, the worst case for fixed bins: the guaranteed
            // bound is loose there, the estimate itself stays close.
            assertThat(drift.errorBound()).as(test + " bound").isLessThan(0.04);
            assertThat(Math.abs(estimate - exact)).as(test + " error").isLessThan(1e-3);
        }
    }
}
