package dev.cairn.evaluation;

/** The outcome of an evaluation gate, recorded on the model version. */
public enum Verdict {
    BLESSED,
    NOT_BLESSED
}
