package dev.cairn.reproduce;

import dev.cairn.core.CairnException;
import java.nio.file.Path;
import java.time.Duration;
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
 * @param timeout how long a re-run may take: a re-run process still running then is stopped with
 *     every process it started, and a re-run pipeline step gets at most this timeout;
 *     {@link #DEFAULT_TIMEOUT} by default
 */
public record ReproduceOptions(double tolerance, Path scratch, Map<String, String> environment, Duration timeout) {
    public static final double DEFAULT_TOLERANCE = 1e-6;
    public static final Duration DEFAULT_TIMEOUT = Duration.ofHours(1);

    public ReproduceOptions {
        CairnException.requireArgument(
                tolerance >= 0 && Double.isFinite(tolerance),
                "tolerance must be a finite number >= 0, got " + tolerance);
        environment = Map.copyOf(environment);
        CairnException.requireArgument(
                !timeout.isNegative() && !timeout.isZero(), "timeout must be positive, got " + timeout);
    }

    public static ReproduceOptions defaults() {
        return new ReproduceOptions(
                DEFAULT_TOLERANCE, Path.of(System.getProperty("java.io.tmpdir")), Map.of(), DEFAULT_TIMEOUT);
    }

    public ReproduceOptions tolerance(double value) {
        return new ReproduceOptions(value, scratch, environment, timeout);
    }

    public ReproduceOptions scratch(Path dir) {
        return new ReproduceOptions(tolerance, dir, environment, timeout);
    }

    public ReproduceOptions environment(Map<String, String> variables) {
        return new ReproduceOptions(tolerance, scratch, variables, timeout);
    }

    public ReproduceOptions timeout(Duration limit) {
        return new ReproduceOptions(tolerance, scratch, environment, limit);
    }
}
