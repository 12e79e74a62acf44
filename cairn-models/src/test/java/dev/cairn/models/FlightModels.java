package dev.cairn.models;

import dev.cairn.models.tribuo.TribuoFlavor;
import dev.cairn.models.xgboost.XGBoostFlavor;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.DMatrix;
import ml.dmlc.xgboost4j.java.XGBoost;
import ml.dmlc.xgboost4j.java.XGBoostError;
import org.tribuo.Example;
import org.tribuo.Model;
import org.tribuo.MutableDataset;
import org.tribuo.classification.Label;
import org.tribuo.classification.LabelFactory;
import org.tribuo.classification.sgd.linear.LogisticRegressionTrainer;
import org.tribuo.impl.ArrayExample;
import org.tribuo.provenance.SimpleDataSourceProvenance;

/** Trains the flights models the tests serve: XGBoost with 50 trees, and a Tribuo logistic regression. */
public final class FlightModels {
    public static final String[] CLASSES = {"delayed", "on_time"};

    private FlightModels() {}

    /** One FP32 column per feature in, the probability of a delay out. */
    public static Signature xgboostSignature() {
        var inputs = new ArrayList<TensorSpec>();
        for (String feature : FlightsSample.FEATURES) {
            inputs.add(TensorSpec.of(feature, DataType.FP32, -1));
        }
        return new Signature(inputs, List.of(TensorSpec.of("probability", DataType.FP32, -1)));
    }

    public static Booster trainXGBoost(FlightsSample.Split train) {
        try {
            var matrix = new DMatrix(train.features(), train.rows(), FlightsSample.FEATURES.length, Float.NaN);
            matrix.setLabel(train.labels());
            Map<String, Object> params = new HashMap<>();
            params.put("objective", "binary:logistic");
            params.put("max_depth", 5);
            params.put("eta", 0.2);
            params.put("seed", 42);
            params.put("nthread", 1);
            return XGBoost.train(matrix, params, 50, Map.of(), null, null);
        } catch (XGBoostError e) {
            throw new IllegalStateException(e);
        }
    }

    /** The first {@code rows} rows of {@code split} as the columns of {@link #xgboostSignature()}. */
    public static List<Tensor> columns(FlightsSample.Split split, int rows) {
        var columns = new ArrayList<Tensor>();
        for (int c = 0; c < FlightsSample.FEATURES.length; c++) {
            float[] column = java.util.Arrays.copyOf(split.column(c), rows);
            columns.add(Tensor.ofFloats(FlightsSample.FEATURES[c], column, rows));
        }
        return columns;
    }

    public static ModelManifest saveXGBoost(FlightsSample sample, Path directory) {
        Booster booster = trainXGBoost(sample.train);
        try {
            return XGBoostFlavor.save(
                    booster,
                    xgboostSignature(),
                    directory,
                    ModelSpec.empty().withInputExample(columns(sample.test, 1).toArray(Tensor[]::new)));
        } finally {
            booster.dispose();
        }
    }

    public static Model<Label> trainLogistic(FlightsSample.Split train) {
        var factory = new LabelFactory();
        var provenance = new SimpleDataSourceProvenance("flights-sample-6k months 1-4", factory);
        var dataset = new MutableDataset<>(provenance, factory);
        for (Example<Label> example : examples(train)) {
            dataset.add(example);
        }
        return new LogisticRegressionTrainer().train(dataset);
    }

    public static List<Example<Label>> examples(FlightsSample.Split split) {
        var examples = new ArrayList<Example<Label>>();
        for (int r = 0; r < split.rows(); r++) {
            float[] row = split.row(r);
            double[] values = new double[row.length];
            for (int c = 0; c < row.length; c++) {
                values[c] = row[c];
            }
            var label = new Label(split.labels()[r] > 0.5f ? CLASSES[0] : CLASSES[1]);
            examples.add(new ArrayExample<>(label, FlightsSample.FEATURES, values));
        }
        return examples;
    }

    public static ModelManifest saveLogisticOnnx(FlightsSample sample, Path directory) {
        return TribuoFlavor.saveAsOnnx(trainLogistic(sample.train), directory, ModelSpec.empty());
    }

    /** The first {@code rows} test rows as the single {@code [rows, features]} matrix an ONNX export takes. */
    public static Tensor matrix(FlightsSample.Split split, int rows, String name) {
        int width = FlightsSample.FEATURES.length;
        return Tensor.ofFloats(name, java.util.Arrays.copyOf(split.features(), rows * width), rows, width);
    }
}
