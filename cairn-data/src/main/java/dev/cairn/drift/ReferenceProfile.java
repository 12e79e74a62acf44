package dev.cairn.drift;

import java.util.List;
import java.util.Map;

/**
 * A completed reference window (typically the training data) whose numeric bin layouts are fixed, so
 * that current windows opened from it are counted in the same bins and can be compared and merged.
 */
public final class ReferenceProfile {
    private final Window reference;
    private final Map<String, BinLayout> layouts;
    private final int exactLimit;

    private ReferenceProfile(Window reference, Map<String, BinLayout> layouts, int exactLimit) {
        this.reference = reference;
        this.layouts = layouts;
        this.exactLimit = exactLimit;
    }

    /** Completes a reference window; the window must not be fed afterwards. */
    public static ReferenceProfile of(Window reference) {
        return new ReferenceProfile(reference, reference.freezeLayouts(), Window.DEFAULT_EXACT_LIMIT);
    }

    public List<DriftColumn> columns() {
        return reference.columns();
    }

    /** The reference window itself (read its counts; do not feed it). */
    public Window window() {
        return reference;
    }

    /** An empty current window over the reference's columns. */
    public Window newWindow() {
        return newWindow(reference.columns());
    }

    /**
     * An empty current window over other columns (for example a batch with a different schema); columns
     * the reference also has as numeric share its bins.
     */
    public Window newWindow(List<DriftColumn> columns) {
        return new Window(columns, exactLimit, layouts);
    }
}
