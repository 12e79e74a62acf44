package dev.cairn.models.tribuo;

import dev.cairn.models.Flavors;
import dev.cairn.models.Predictor;
import dev.cairn.models.Signature;
import dev.cairn.models.Tensor;
import dev.cairn.models.TensorSpec;
import java.util.ArrayList;
import java.util.List;
import org.tribuo.Example;
import org.tribuo.Model;
import org.tribuo.Prediction;
import org.tribuo.classification.Label;
import org.tribuo.classification.LabelFactory;
import org.tribuo.impl.ArrayExample;

/** Predicts with a Tribuo classifier, one {@link Example} per row; Tribuo models are thread-safe for prediction. */
final class TribuoPredictor implements Predictor {
    private final Model<Label> model;
    private final Signature signature;
    private final String[] features;
    private final List<String> classes;

    TribuoPredictor(Model<Label> model, Signature signature) {
        this.model = model;
        this.signature = signature;
        this.features = signature.inputs().stream().map(TensorSpec::name).toArray(String[]::new);
        this.classes = TribuoFlavor.classes(model);
    }

    @Override
    public List<Tensor> predict(List<Tensor> inputs) {
        float[] matrix = Flavors.featureMatrix(signature, inputs, features.length);
        int rows = matrix.length / Math.max(features.length, 1);
        var examples = new ArrayList<Example<Label>>(rows);
        for (int r = 0; r < rows; r++) {
            double[] values = new double[features.length];
            for (int c = 0; c < features.length; c++) {
                values[c] = matrix[r * features.length + c];
            }
            examples.add(new ArrayExample<>(LabelFactory.UNKNOWN_LABEL, features, values));
        }
        List<Prediction<Label>> predictions = model.predict(examples);
        String[] labels = new String[rows];
        float[] probabilities = new float[rows * classes.size()];
        for (int r = 0; r < rows; r++) {
            Prediction<Label> prediction = predictions.get(r);
            labels[r] = prediction.getOutput().getLabel();
            for (int k = 0; k < classes.size(); k++) {
                Label score = prediction.getOutputScores().get(classes.get(k));
                probabilities[r * classes.size() + k] = score == null ? 0f : (float) score.getScore();
            }
        }
        var outputs = new ArrayList<Tensor>(2);
        outputs.add(Tensor.ofStrings("label", labels, rows));
        if (signature.output("probabilities").isPresent()) {
            outputs.add(Tensor.ofFloats("probabilities", probabilities, rows, classes.size()));
        }
        return outputs;
    }

    @Override
    public void close() {}
}
