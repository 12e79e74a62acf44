package dev.cairn.evaluation;

import dev.cairn.core.CairnException;
import dev.cairn.validation.TableFile;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Evaluates a candidate (and the baseline, when given) on a holdout table read through DuckDB: overall
 * metrics, slices and fairness, and the gate's blessing. The label is a DuckDB SQL expression over the
 * table's columns ({@code delay > 15}, or a column name). Configure with the fluent methods, then call
 * {@link #evaluate()} or {@link #bless(EvaluationGate)}.
 */
public final class HoldoutEvaluation {
    /** Rows handed to a scorer at once. */
    static final int BATCH = 1024;

    private static final String LABEL = "__cairn_label";

    private final Path table;
    private final Task task;
    private final String label;
    private double threshold = 0.5;
    private Scorer candidate = Scorer.column("prediction");
    private Optional<Scorer> baseline = Optional.empty();
    private final List<String> sliceColumns = new ArrayList<>();
    private int minSliceSize = EvaluationGate.DEFAULT_MIN_SLICE_SIZE;
    private final List<String> fairnessAttributes = new ArrayList<>();

    private HoldoutEvaluation(Path table, Task task, String label) {
        CairnException.requireArgument(!label.isBlank(), "label expression must not be blank");
        this.table = table;
        this.task = task;
        this.label = label;
    }

    /** A binary classifier's evaluation; {@code label} evaluates to a boolean or to 0/1. */
    public static HoldoutEvaluation binary(Path table, String label) {
        return new HoldoutEvaluation(table, Task.BINARY_CLASSIFICATION, label);
    }

    public static HoldoutEvaluation regression(Path table, String label) {
        return new HoldoutEvaluation(table, Task.REGRESSION, label);
    }

    /** The decision threshold of binary scores (a row is predicted positive when score >= threshold); default 0.5. */
    public HoldoutEvaluation threshold(double value) {
        CairnException.requireArgument(Double.isFinite(value), "threshold must be a finite number: " + value);
        this.threshold = value;
        return this;
    }

    /** The candidate's scorer; by default the holdout's {@code prediction} column. */
    public HoldoutEvaluation candidate(Scorer scorer) {
        this.candidate = Objects.requireNonNull(scorer, "candidate");
        return this;
    }

    /** The baseline's (champion's) scorer; without one, change thresholds are skipped. */
    public HoldoutEvaluation baseline(Scorer scorer) {
        this.baseline = Optional.of(scorer);
        return this;
    }

    /** Adds a categorical column to slice by. */
    public HoldoutEvaluation sliceBy(String column) {
        sliceColumns.add(column);
        return this;
    }

    /** Values with fewer rows than this are grouped into the slice {@link Slice#OTHER}; default 30. */
    public HoldoutEvaluation minSliceSize(int rows) {
        CairnException.requireArgument(rows >= 1, "minSliceSize must be at least 1: " + rows);
        this.minSliceSize = rows;
        return this;
    }

    /** Adds a sensitive attribute to measure fairness across (binary classification only). */
    public HoldoutEvaluation fairnessAcross(String attribute) {
        CairnException.requireArgument(
                task == Task.BINARY_CLASSIFICATION, "fairness needs a binary classification task, not " + task);
        fairnessAttributes.add(attribute);
        return this;
    }

    /** Reads the holdout once and measures everything configured. */
    public EvaluationResult evaluate() {
        try (TableFile file = TableFile.open(table)) {
            HoldoutPass pass = new HoldoutPass(
                    file, task, label, threshold, candidate, baseline, sliceColumns, fairnessAttributes);
            pass.run();
            return new EvaluationResult(task, pass.overall(), pass.slices(minSliceSize), pass.fairness());
        }
    }

    /** Adopts the gate's slice columns, minimum slice size and fairness attributes, evaluates and judges. */
    public GatedEvaluation bless(EvaluationGate gate) {
        for (String c : gate.sliceColumns()) {
            if (!sliceColumns.contains(c)) {
                sliceBy(c);
            }
        }
        if (!gate.sliceColumns().isEmpty()) {
            minSliceSize(gate.minSliceSize());
        }
        for (String a : gate.fairnessAttributes()) {
            if (!fairnessAttributes.contains(a)) {
                fairnessAcross(a);
            }
        }
        EvaluationResult result = evaluate();
        return new GatedEvaluation(result, gate.evaluate(result));
    }

    static String labelColumn() {
        return LABEL;
    }

    static Map<String, Object> toMap(GatedEvaluation e) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("evaluation", e.result().toMap());
        out.put("blessing", e.blessing().toMap());
        return out;
    }
}
