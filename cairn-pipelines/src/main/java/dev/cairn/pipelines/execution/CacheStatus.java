package dev.cairn.pipelines.execution;

/** How the step cache treated a step. */
public enum CacheStatus {
    /** An earlier successful execution had the same key: outputs restored, nothing run. */
    HIT,
    /** No earlier execution had this key: the step ran. */
    MISS,
    /** The step ran because of {@code --force}. */
    FORCED,
    /** The cache was not used ({@code --no-cache}). */
    DISABLED,
    /** Reused by a resume from the execution it resumes. */
    REUSED
}
