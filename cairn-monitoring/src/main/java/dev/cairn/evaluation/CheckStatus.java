package dev.cairn.evaluation;

/** The outcome of one gate check; a skipped check (stated reason) does not block the blessing. */
public enum CheckStatus {
    PASSED,
    FAILED,
    SKIPPED
}
