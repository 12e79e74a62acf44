package dev.cairn.reproduce;

import dev.cairn.core.CairnException;
import java.nio.file.Path;
import java.util.Map;

/**
 * How to reproduce a run.
 *
 * @param tolerance the relative difference up to which two metric values count as equivalent
 *     ({@code |a - b| <= tolerance * max(|a|, |b|)}); {@link #DEFAULT_TOLERANCE} by default
 * @param scratch where the temporary code checkout and restored data go (removed afterwards); the
 *     system temp directory by default
 * @param environment variables added to a re-run process's environment (e.g. {@code
 *     CAIRN_TRACKING_URI} for a run that logs through the SDK)
 */
public record ReproduceOptions(double tolerance, Path scratch, Map<String, String> environment) {
    public static final double DEFAULT_TOLERANCE = 1e-6;

    public ReproduceOptions {
        CairnException.requireArgument(
                tolerance >= 0 && Double.isFinite(tolerance),
                "tolerance must be a finite number >= 0, got " + tolerance);
        environment = Map.copyOf(environment);
    }

    public static ReproduceOptions defaults() {
        return new ReproduceOptions(DEFAULT_TOLERANCE, Path.of(System.getProperty("java.io.tmpdir")), Map.of());
    }

    public ReproduceOptions tolerance(double value) {
        return new ReproduceOptions(value, scratch, environment);
    }

    public ReproduceOptions scratch(Path dir) {
        return new ReproduceOptions(tolerance, dir, environment);
    }

    public ReproduceOptions environment(Map<String, String> variables) {
        return new ReproduceOptions(tolerance, scratch, variables);
    }
}
