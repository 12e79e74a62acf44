package dev.cairn.evaluation;

import dev.cairn.core.CairnException;
import java.nio.file.Path;
import java.util.List;

/**
 * The thresholds a candidate must meet to be blessed, and what to slice and check for fairness on:
 * value thresholds on overall metrics, change thresholds against the baseline, slice thresholds over
 * the slices of {@code sliceColumns} (values with fewer than {@code minSliceSize} rows grouped), and
 * fairness thresholds across {@code fairnessAttributes}. Readable from a YAML or JSON file
 * ({@link #read}); the README documents the format.
 */
public record EvaluationGate(
        List<ValueThreshold> metrics,
        List<ChangeThreshold> changes,
        List<String> sliceColumns,
        int minSliceSize,
        List<SliceThreshold> sliceThresholds,
        List<String> fairnessAttributes,
        List<FairnessThreshold> fairnessThresholds) {
    /** The minimum slice size when none is given. */
    public static final int DEFAULT_MIN_SLICE_SIZE = 30;

    public EvaluationGate {
        metrics = List.copyOf(metrics);
        changes = List.copyOf(changes);
        sliceColumns = List.copyOf(sliceColumns);
        sliceThresholds = List.copyOf(sliceThresholds);
        fairnessAttributes = List.copyOf(fairnessAttributes);
        fairnessThresholds = List.copyOf(fairnessThresholds);
        CairnException.requireArgument(minSliceSize >= 1, "min_slice_size must be at least 1: " + minSliceSize);
        CairnException.requireArgument(
                fairnessThresholds.isEmpty() || !fairnessAttributes.isEmpty(),
                "fairness thresholds need at least one fairness attribute");
    }

    /** A gate with value and change thresholds only. */
    public static EvaluationGate of(List<ValueThreshold> metrics, List<ChangeThreshold> changes) {
        return new EvaluationGate(metrics, changes, List.of(), DEFAULT_MIN_SLICE_SIZE, List.of(), List.of(), List.of());
    }

    /** Reads a gate file (YAML, or JSON, which is YAML too); fails naming the file and the bad field. */
    public static EvaluationGate read(Path file) {
        return GateFile.read(file);
    }

    /** Parses gate YAML or JSON text. */
    public static EvaluationGate parse(String text) {
        return GateFile.parse(text, "gate");
    }

    /** Judges {@code result} against every threshold of this gate. */
    public Blessing evaluate(EvaluationResult result) {
        return new GateJudge(this, result).judge();
    }
}
