package dev.cairn.drift;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;

/**
 * Compares a current window with a reference profile column by column and decides dataset drift.
 * Bad input never throws: empty sides, missing columns and kind mismatches are reported in the result.
 */
public final class DriftAnalysis {
    /** Evidently switches from tests to distances above this many reference values. */
    static final int SMALL_REFERENCE = 1000;

    private static final int UNSEEN_EXAMPLES = 10;

    private DriftAnalysis() {}

    /** Drift of {@code current} against {@code reference} under {@code options}. */
    public static DriftReport compare(ReferenceProfile reference, Window current, DriftOptions options) {
        Window ref = reference.window();
        List<ColumnDrift> results = new ArrayList<>();
        List<SchemaIssue> issues = new ArrayList<>();
        for (int i = 0; i < ref.columns().size(); i++) {
            DriftColumn column = ref.columns().get(i);
            Optional<Integer> j = current.indexOf(column.name());
            if (j.isEmpty()) {
                issues.add(new SchemaIssue(column.name(), ColumnStatus.MISSING_IN_CURRENT, "not in the current data"));
                continue;
            }
            DriftColumn other = current.columns().get(j.get());
            if (other.kind() != column.kind()) {
                issues.add(new SchemaIssue(
                        column.name(),
                        ColumnStatus.KIND_MISMATCH,
                        column.kind() + " in the reference, " + other.kind() + " in the current data"));
                continue;
            }
            results.add(compareColumn(column, ref.accumulator(i), current.accumulator(j.get()), options));
        }
        for (DriftColumn column : current.columns()) {
            if (ref.indexOf(column.name()).isEmpty()) {
                issues.add(new SchemaIssue(column.name(), ColumnStatus.MISSING_IN_REFERENCE, "not in the reference"));
            }
        }
        int tested = 0;
        int drifted = 0;
        for (ColumnDrift c : results) {
            if (c.status() == ColumnStatus.TESTED) {
                tested++;
                drifted += c.drifted() ? 1 : 0;
            }
        }
        double share = tested == 0 ? 0.0 : (double) drifted / tested;
        return new DriftReport(
                results,
                issues,
                tested,
                drifted,
                share,
                options.driftShare(),
                tested > 0 && share >= options.driftShare());
    }

    /** Whether a test can be applied to a column kind. */
    static boolean applies(DriftTest test, ColumnKind kind) {
        return kind == ColumnKind.NUMERIC || (test != DriftTest.KS && test != DriftTest.WASSERSTEIN);
    }

    /**
     * Evidently's default test: with at most 1000 reference values, KS for numeric columns with more than
     * 5 distinct values, else chi-square (more than 2 values) or Z (at most 2); with more reference values,
     * normed Wasserstein for numeric columns with more than 5 distinct values, else Jensen-Shannon.
     */
    static DriftTest defaultTest(ColumnKind kind, long referenceCount, int distinctValues) {
        boolean numericSpread = kind == ColumnKind.NUMERIC && distinctValues > 5;
        if (referenceCount <= SMALL_REFERENCE) {
            if (numericSpread) {
                return DriftTest.KS;
            }
            return distinctValues > 2 ? DriftTest.CHI_SQUARE : DriftTest.Z;
        }
        return numericSpread ? DriftTest.WASSERSTEIN : DriftTest.JENSEN_SHANNON;
    }

    private static ColumnDrift compareColumn(DriftColumn column, Object ref, Object cur, DriftOptions options) {
        return column.kind() == ColumnKind.NUMERIC
                ? numeric(column, (NumericAccumulator) ref, (NumericAccumulator) cur, options)
                : categorical(column, (CategoricalAccumulator) ref, (CategoricalAccumulator) cur, options);
    }

    private static ColumnDrift numeric(
            DriftColumn column, NumericAccumulator ref, NumericAccumulator cur, DriftOptions options) {
        if (ref.count() == 0 || cur.count() == 0) {
            // The test the reference alone calls for, so that the report shows what would run.
            int distinct = ref.isExact()
                    ? EvidentlyBinning.distinct(ref.sortedValues(), ref.exactSize())
                    : ref.freezeLayout().edgeCount();
            DriftTest test = options.testFor(column.name(), column.kind())
                    .orElse(defaultTest(column.kind(), ref.count(), distinct));
            return empty(column, test, options, ref.counts(), cur.counts(), ref.count() == 0);
        }
        NumericComparison comparison = new NumericComparison(ref, cur);
        DriftTest test = options.testFor(column.name(), column.kind())
                .orElseGet(() -> defaultTest(column.kind(), ref.count(), comparison.distinctUnion()));
        NumericComparison.Estimate estimate;
        boolean approximate = !comparison.exact();
        switch (test) {
            case KS -> estimate = comparison.ks();
            case WASSERSTEIN -> estimate = comparison.normedWasserstein();
            case CHI_SQUARE, Z -> {
                long[][] counts = comparison.valueCounts();
                TestOutcome outcome = test == DriftTest.Z
                        ? DriftStatistics.zTest(counts[0][0], ref.count(), counts[1][0], cur.count())
                        : DriftStatistics.chiSquare(counts[0], counts[1]);
                estimate = new NumericComparison.Estimate(outcome, comparison.valuesBetweenEdges() ? 1 : 0);
                approximate = comparison.valuesBetweenEdges();
            }
            default -> {
                double[][] p = new double[2][];
                NumericComparison.Estimate split = comparison.binnedPercents(p);
                estimate = new NumericComparison.Estimate(onProportions(test, p[0], p[1]), split.errorBound());
                approximate = split.errorBound() > 0;
            }
        }
        return verdict(column, test, options, estimate, approximate, ref.counts(), cur.counts(), 0, List.of());
    }

    private static ColumnDrift categorical(
            DriftColumn column, CategoricalAccumulator ref, CategoricalAccumulator cur, DriftOptions options) {
        TreeSet<String> keys = new TreeSet<>();
        ref.categories().forEach(keys::add);
        cur.categories().forEach(keys::add);
        if (ref.count() == 0 || cur.count() == 0) {
            DriftTest test = options.testFor(column.name(), column.kind())
                    .orElse(defaultTest(column.kind(), ref.count(), keys.size()));
            return empty(column, test, options, ref.counts(), cur.counts(), ref.count() == 0);
        }
        long[] r = new long[keys.size()];
        long[] c = new long[keys.size()];
        long unseen = 0;
        List<String> examples = new ArrayList<>();
        int k = 0;
        for (String key : keys) {
            r[k] = ref.countOf(key);
            c[k] = cur.countOf(key);
            if (r[k] == 0) {
                unseen += c[k];
                if (examples.size() < UNSEEN_EXAMPLES) {
                    examples.add(key);
                }
            }
            k++;
        }
        DriftTest test = options.testFor(column.name(), column.kind())
                .orElse(defaultTest(column.kind(), ref.count(), keys.size()));
        TestOutcome outcome =
                switch (test) {
                    case CHI_SQUARE -> DriftStatistics.chiSquare(r, c);
                    case Z -> DriftStatistics.zTest(r[0], ref.count(), c[0], cur.count());
                    default ->
                        onProportions(
                                test,
                                DriftStatistics.percents(r, ref.count()),
                                DriftStatistics.percents(c, cur.count()));
                };
        return verdict(
                column,
                test,
                options,
                new NumericComparison.Estimate(outcome, 0),
                false,
                ref.counts(),
                cur.counts(),
                unseen,
                examples);
    }

    private static TestOutcome onProportions(DriftTest test, double[] r, double[] c) {
        return switch (test) {
            case PSI -> DriftStatistics.psi(DriftStatistics.fillZeroes(r), DriftStatistics.fillZeroes(c));
            case L_INFINITY -> DriftStatistics.lInfinity(r, c);
            default -> DriftStatistics.jensenShannon(r, c);
        };
    }

    private static double threshold(DriftColumn column, DriftTest test, DriftOptions options) {
        return options.thresholdFor(column.name()).orElse(test.defaultThreshold());
    }

    private static ColumnDrift verdict(
            DriftColumn column,
            DriftTest test,
            DriftOptions options,
            NumericComparison.Estimate estimate,
            boolean approximate,
            ValueCounts refCounts,
            ValueCounts curCounts,
            long unseen,
            List<String> examples) {
        double threshold = threshold(column, test, options);
        TestOutcome o = estimate.outcome();
        return new ColumnDrift(
                column.name(),
                column.kind(),
                ColumnStatus.TESTED,
                test,
                threshold,
                o.statistic(),
                o.score(),
                test.drifted(o.score(), threshold),
                approximate,
                estimate.errorBound(),
                refCounts,
                curCounts,
                unseen,
                examples);
    }

    private static ColumnDrift empty(
            DriftColumn column,
            DriftTest test,
            DriftOptions options,
            ValueCounts refCounts,
            ValueCounts curCounts,
            boolean referenceEmpty) {
        return new ColumnDrift(
                column.name(),
                column.kind(),
                referenceEmpty ? ColumnStatus.EMPTY_REFERENCE : ColumnStatus.EMPTY_CURRENT,
                test,
                threshold(column, test, options),
                Double.NaN,
                Double.NaN,
                false,
                false,
                0,
                refCounts,
                curCounts,
                0,
                List.of());
    }
}
