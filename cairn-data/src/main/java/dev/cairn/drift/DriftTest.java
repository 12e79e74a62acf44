package dev.cairn.drift;

/**
 * The statistical tests and distances drift is measured with, under Evidently's names and default
 * thresholds. Tests (p-values) flag drift when the p-value is below the threshold (KS: at or below);
 * distances flag drift when the distance is at or above it.
 */
public enum DriftTest {
    /** Two-sample Kolmogorov-Smirnov p-value; numeric columns. */
    KS("ks", 0.05, true),
    /** Chi-square goodness-of-fit p-value of current counts against reference proportions. */
    CHI_SQUARE("chisquare", 0.05, true),
    /** Two-proportion Z-test p-value; columns with at most two values. */
    Z("z", 0.05, true),
    /** Population Stability Index. */
    PSI("psi", 0.1, false),
    /** Jensen-Shannon distance, natural logarithm. */
    JENSEN_SHANNON("jensenshannon", 0.1, false),
    /** Wasserstein-1 distance divided by the reference standard deviation; numeric columns. */
    WASSERSTEIN("wasserstein", 0.1, false),
    /** Largest absolute difference between bin or category proportions. */
    L_INFINITY("linf", 0.1, false);

    private final String id;
    private final double defaultThreshold;
    private final boolean pValue;

    DriftTest(String id, double defaultThreshold, boolean pValue) {
        this.id = id;
        this.defaultThreshold = defaultThreshold;
        this.pValue = pValue;
    }

    /** The short name used in reports, options and the CLI ({@code ks}, {@code psi}, ...). */
    public String id() {
        return id;
    }

    public double defaultThreshold() {
        return defaultThreshold;
    }

    /** Whether the score is a p-value (small means drift) rather than a distance (large means drift). */
    public boolean isPValue() {
        return pValue;
    }

    /** Whether a score means drift at this threshold; a NaN score never does. */
    public boolean drifted(double score, double threshold) {
        if (Double.isNaN(score)) {
            return false;
        }
        if (this == KS) {
            return score <= threshold;
        }
        return pValue ? score < threshold : score >= threshold;
    }

    /** The test named {@code id} (case-insensitive), as in reports. */
    public static java.util.Optional<DriftTest> byId(String id) {
        for (DriftTest t : values()) {
            if (t.id.equalsIgnoreCase(id) || t.name().equalsIgnoreCase(id)) {
                return java.util.Optional.of(t);
            }
        }
        return java.util.Optional.empty();
    }
}
