package dev.cairn.drift;

/**
 * The raw result of one statistical test: the statistic (KS D, chi-square, z, or a distance) and the
 * score compared with the threshold (the p-value for tests, the distance itself for distances).
 */
public record TestOutcome(double statistic, double score) {
    /** The outcome of a test that could not be computed (for example an empty sample). */
    public static TestOutcome undefined() {
        return new TestOutcome(Double.NaN, Double.NaN);
    }

    /** An outcome whose score is the statistic itself (distances). */
    static TestOutcome distance(double value) {
        return new TestOutcome(value, value);
    }
}
