package dev.cairn.evaluation;

/**
 * One group of a sensitive attribute: its rows, positive labels, selection rate (share predicted
 * positive) and true-positive rate (NaN when the group has no positive label).
 */
public record GroupRates(String group, long count, long positives, double selectionRate, double truePositiveRate) {}
