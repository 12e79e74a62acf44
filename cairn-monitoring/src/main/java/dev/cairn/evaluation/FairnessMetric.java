package dev.cairn.evaluation;

import dev.cairn.core.CairnException;
import java.util.Locale;

/** A disparity across the groups of a sensitive attribute, as Fairlearn defines it (0 means parity). */
public enum FairnessMetric {
    /** Largest minus smallest selection rate (share of rows predicted positive) across groups. */
    DEMOGRAPHIC_PARITY_DIFFERENCE("demographic_parity_difference"),
    /** Largest minus smallest true-positive rate across the groups that have positive labels. */
    EQUAL_OPPORTUNITY_DIFFERENCE("equal_opportunity_difference");

    private final String id;

    FairnessMetric(String id) {
        this.id = id;
    }

    public String id() {
        return id;
    }

    public static FairnessMetric of(String id) {
        String wanted = id.strip().toLowerCase(Locale.ROOT);
        for (FairnessMetric m : values()) {
            if (m.id.equals(wanted)) {
                return m;
            }
        }
        throw CairnException.invalid("unknown fairness metric '" + id
                + "', expected demographic_parity_difference or equal_opportunity_difference");
    }
}
