package dev.cairn.evaluation;

import dev.cairn.core.CairnException;
import dev.cairn.models.DataType;
import dev.cairn.models.LoadedModel;
import dev.cairn.models.Tensor;
import dev.cairn.models.TensorSpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Scores holdout rows with a loaded model package: one {@code FP32 [n]} column per signature input,
 * read from the holdout column of the same name; the score is the positive class's probability
 * ({@code probabilities} output of a classifier, column of class {@code 1} or {@code true}) or the
 * first output.
 */
final class ModelScorer implements Scorer {
    private final LoadedModel model;
    private final int positiveColumn;

    ModelScorer(LoadedModel model) {
        this.model = model;
        this.positiveColumn = positiveColumn(model);
    }

    @Override
    public double[] score(List<HoldoutRow> batch) {
        List<Tensor> inputs = new ArrayList<>();
        for (TensorSpec spec : model.manifest().signature().inputs()) {
            if (spec.shape().size() != 1 || !spec.datatype().isNumeric()) {
                throw CairnException.invalid("model " + model.directory() + ": input '" + spec.name()
                        + "' is not a numeric column; evaluation scores columnar numeric models");
            }
            float[] column = new float[batch.size()];
            for (int i = 0; i < column.length; i++) {
                column[i] = (float) batch.get(i).number(spec.name());
            }
            inputs.add(Tensor.ofFloats(spec.name(), column, column.length));
        }
        List<Tensor> outputs = model.predict(inputs);
        double[] scores = new double[batch.size()];
        if (positiveColumn >= 0) {
            Tensor probabilities = outputs.stream()
                    .filter(t -> t.name().equals("probabilities"))
                    .findFirst()
                    .orElseThrow();
            int width = probabilities.rowWidth();
            for (int i = 0; i < scores.length; i++) {
                scores[i] = probabilities.floatAt(i * width + positiveColumn);
            }
        } else {
            Tensor first = outputs.get(0);
            for (int i = 0; i < scores.length; i++) {
                scores[i] = first.floatAt(i);
            }
        }
        return scores;
    }

    /** The class column of a {@code probabilities} output holding the positive class; -1 without one. */
    private static int positiveColumn(LoadedModel model) {
        boolean hasProbabilities =
                model.manifest().signature().output("probabilities").isPresent()
                        && model.manifest().signature().outputs().get(0).datatype() == DataType.BYTES;
        if (!hasProbabilities) {
            return -1;
        }
        List<String> classes =
                Arrays.asList(model.manifest().flavorOption("classes").split(","));
        for (String positive : List.of("1", "true", "1.0", "yes")) {
            if (classes.contains(positive)) {
                return classes.indexOf(positive);
            }
        }
        throw CairnException.invalid("model " + model.directory() + " has classes " + classes
                + "; evaluation needs a positive class named 1 or true");
    }
}
