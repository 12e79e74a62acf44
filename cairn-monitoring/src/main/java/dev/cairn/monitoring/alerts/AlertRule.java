package dev.cairn.monitoring.alerts;

import dev.cairn.core.CairnException;
import java.util.Locale;

/**
 * When a monitor alerts: the dataset drift share above {@code threshold}; a performance metric
 * ({@code accuracy}, {@code auc}, {@code rmse}, ...) below {@code threshold} for {@code windows}
 * consecutive windows; or a business metric above {@code threshold} for {@code windows} windows.
 * {@code metric} is empty for drift rules.
 */
public record AlertRule(String name, Kind kind, String metric, double threshold, int windows) {
    /** What a rule watches. */
    public enum Kind {
        DRIFT_SHARE_ABOVE,
        METRIC_BELOW,
        BUSINESS_METRIC_ABOVE;

        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** The kind named {@code name} in its wire form, failing with a message naming the field. */
        public static Kind parse(String name, String field) {
            for (Kind k : values()) {
                if (k.wireName().equals(name)) {
                    return k;
                }
            }
            throw CairnException.invalid(field
                    + " must be one of drift_share_above, metric_below, business_metric_above; got '" + name + "'");
        }
    }

    public AlertRule {
        CairnException.requireArgument(
                name != null && name.matches("[A-Za-z0-9_.-]{1,64}"),
                "rule name must be 1-64 letters, digits, '_', '.' or '-'; got '" + name + "'");
        CairnException.requireArgument(kind != null, "rule " + name + ": kind is required");
        CairnException.requireArgument(metric != null, "rule " + name + ": metric must not be null");
        CairnException.requireArgument(
                Double.isFinite(threshold), "rule " + name + ": threshold must be a finite number; got " + threshold);
        CairnException.requireArgument(
                windows >= 1 && windows <= 1000, "rule " + name + ": windows must be in [1, 1000]; got " + windows);
        if (kind == Kind.DRIFT_SHARE_ABOVE) {
            CairnException.requireArgument(
                    threshold >= 0 && threshold <= 1,
                    "rule " + name + ": drift share threshold must be in [0, 1]; got " + threshold);
        } else {
            CairnException.requireArgument(
                    !metric.isBlank(), "rule " + name + ": metric is required for " + kind.wireName());
        }
    }

    /** Whether one window's value breaches this rule (a NaN value, a window without data, never does). */
    public boolean breachedBy(double value) {
        if (Double.isNaN(value)) {
            return false;
        }
        return kind == Kind.METRIC_BELOW ? value < threshold : value > threshold;
    }
}
