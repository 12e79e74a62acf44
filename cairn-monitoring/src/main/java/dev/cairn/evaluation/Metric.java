package dev.cairn.evaluation;

import dev.cairn.core.CairnException;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** A model-quality metric, with its name in configuration and whether a higher value is better. */
public enum Metric {
    ACCURACY("accuracy", true),
    PRECISION("precision", true),
    RECALL("recall", true),
    F1("f1", true),
    AUC("auc", true),
    LOG_LOSS("log_loss", false),
    BRIER("brier", false),
    RMSE("rmse", false),
    MAE("mae", false),
    R2("r2", true);

    private final String id;
    private final boolean higherIsBetter;

    Metric(String id, boolean higherIsBetter) {
        this.id = id;
        this.higherIsBetter = higherIsBetter;
    }

    /** The name used in gate files, JSON and tags, for example {@code auc} or {@code log_loss}. */
    public String id() {
        return id;
    }

    public boolean higherIsBetter() {
        return higherIsBetter;
    }

    /** The metric named {@code id} (case-insensitive); fails naming the bad value and the known names. */
    public static Metric of(String id) {
        String wanted = id.strip().toLowerCase(Locale.ROOT);
        for (Metric m : values()) {
            if (m.id.equals(wanted)) {
                return m;
            }
        }
        throw CairnException.invalid("unknown metric '" + id + "', expected one of "
                + Arrays.stream(values()).map(Metric::id).collect(Collectors.joining(", ")));
    }
}
