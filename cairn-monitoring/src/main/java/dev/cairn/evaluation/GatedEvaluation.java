package dev.cairn.evaluation;

/** An evaluation result and the blessing its gate gave. */
public record GatedEvaluation(EvaluationResult result, Blessing blessing) {
    /** The JSON of both ({@code {"evaluation": ..., "blessing": ...}}). */
    public String toJson() {
        return Json.write(HoldoutEvaluation.toMap(this));
    }
}
