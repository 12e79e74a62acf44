package dev.cairn.drift;

import dev.cairn.core.CairnException;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * How drift is judged: by default the test is chosen per column as Evidently does, with its default
 * threshold, and the dataset drifts when at least half of the tested columns drift. Immutable; each
 * {@code with} method returns a changed copy.
 */
public final class DriftOptions {
    private final double driftShare;
    private final Optional<DriftTest> allColumns;
    private final Map<String, DriftTest> tests;
    private final Map<String, Double> thresholds;

    private DriftOptions(
            double driftShare,
            Optional<DriftTest> allColumns,
            Map<String, DriftTest> tests,
            Map<String, Double> thresholds) {
        this.driftShare = driftShare;
        this.allColumns = allColumns;
        this.tests = Map.copyOf(tests);
        this.thresholds = Map.copyOf(thresholds);
    }

    public static DriftOptions defaults() {
        return new DriftOptions(0.5, Optional.empty(), Map.of(), Map.of());
    }

    /** The share of drifted columns at which the dataset drifts, in (0, 1]. */
    public DriftOptions withDriftShare(double share) {
        CairnException.requireArgument(share > 0 && share <= 1, "driftShare must be in (0, 1]: " + share);
        return new DriftOptions(share, allColumns, tests, thresholds);
    }

    /** Uses one test for every column it applies to (KS and Wasserstein apply to numeric columns only). */
    public DriftOptions withTestForAll(DriftTest test) {
        return new DriftOptions(driftShare, Optional.of(test), tests, thresholds);
    }

    public DriftOptions withTest(String column, DriftTest test) {
        Map<String, DriftTest> copy = new HashMap<>(tests);
        copy.put(column, test);
        return new DriftOptions(driftShare, allColumns, copy, thresholds);
    }

    public DriftOptions withThreshold(String column, double threshold) {
        CairnException.requireArgument(
                Double.isFinite(threshold) && threshold >= 0,
                "threshold for column " + column + " must be a finite non-negative number: " + threshold);
        Map<String, Double> copy = new HashMap<>(thresholds);
        copy.put(column, threshold);
        return new DriftOptions(driftShare, allColumns, tests, copy);
    }

    public double driftShare() {
        return driftShare;
    }

    /** The test forced for a column of this kind, if any. */
    public Optional<DriftTest> testFor(String column, ColumnKind kind) {
        DriftTest explicit = tests.get(column);
        if (explicit != null) {
            CairnException.requireArgument(
                    DriftAnalysis.applies(explicit, kind),
                    "test " + explicit.id() + " does not apply to " + kind + " column " + column);
            return Optional.of(explicit);
        }
        return allColumns.filter(t -> DriftAnalysis.applies(t, kind));
    }

    public OptionalDouble thresholdFor(String column) {
        Double t = thresholds.get(column);
        return t == null ? OptionalDouble.empty() : OptionalDouble.of(t);
    }
}
