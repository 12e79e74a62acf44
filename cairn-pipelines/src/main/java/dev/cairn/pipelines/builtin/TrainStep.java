package dev.cairn.pipelines.builtin;

import dev.cairn.core.CairnException;
import dev.cairn.core.ErrorCode;
import dev.cairn.models.DataType;
import dev.cairn.models.ModelManifest;
import dev.cairn.models.ModelSpec;
import dev.cairn.models.Signature;
import dev.cairn.models.TensorSpec;
import dev.cairn.models.tribuo.TribuoFlavor;
import dev.cairn.models.xgboost.XGBoostFlavor;
import dev.cairn.validation.TableFile;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.DMatrix;
import ml.dmlc.xgboost4j.java.XGBoost;
import ml.dmlc.xgboost4j.java.XGBoostError;
import org.tribuo.Example;
import org.tribuo.Model;
import org.tribuo.MutableDataset;
import org.tribuo.classification.Label;
import org.tribuo.classification.LabelFactory;
import org.tribuo.classification.sgd.linear.LinearSGDTrainer;
import org.tribuo.classification.sgd.objectives.LogMulticlass;
import org.tribuo.impl.ArrayExample;
import org.tribuo.math.optimisers.AdaGrad;
import org.tribuo.provenance.SimpleDataSourceProvenance;

/**
 * {@code uses: train}: trains a binary classifier on a table input, XGBoost ({@code flavor:
 * xgboost}, the default) or Tribuo logistic regression ({@code flavor: tribuo-logistic}), from a
 * label expression, features and hyper-parameters, and writes a Cairn model package (with its
 * {@code features.json}) as a directory output. The same data, configuration and seed give a package
 * with the same content hash. The README of cairn-pipelines lists its {@code with:} keys.
 */
public final class TrainStep implements BuiltinStep {
    static final String XGBOOST = "xgboost";
    static final String TRIBUO_LOGISTIC = "tribuo-logistic";
    private static final Set<String> KEYS =
            Set.of("input", "model", "flavor", "label", "features", "where", "params", "rounds", "epochs", "seed");

    @Override
    public String name() {
        return "train";
    }

    @Override
    public String version() {
        return "1";
    }

    @Override
    public void run(BuiltinContext context) throws Exception {
        StepConfig config = StepConfig.of(context, KEYS);
        String flavor = config.string("flavor", XGBOOST);
        if (!flavor.equals(XGBOOST) && !flavor.equals(TRIBUO_LOGISTIC)) {
            throw config.bad("flavor", "must be " + XGBOOST + " or " + TRIBUO_LOGISTIC + "; got '" + flavor + "'");
        }
        FeatureSpec spec = new FeatureSpec(features(config), config.string("label"));
        long seed = config.integer("seed", 42);
        Path table = TableInputs.table(config.input(context, "input", "data"), context.stepName());
        Path out = config.output(context, "model", "model");
        FeatureSpec.Rows rows;
        try (TableFile file = TableFile.open(table)) {
            rows = spec.read(file, config.optionalString("where"), context.stepName());
        }
        if (rows.size() < 2) {
            throw CairnException.invalid("step '" + context.stepName() + "': " + rows.size() + " labelled rows in "
                    + table + "; training needs at least 2");
        }
        double positives = 0;
        for (float y : rows.labels()) {
            if (y != 0f && y != 1f) {
                throw config.bad("label", "must evaluate to 0/1 or false/true; got " + y);
            }
            positives += y;
        }
        context.logMetric("training_rows", rows.size(), 0);
        context.logMetric("training_positive_rate", positives / rows.size(), 0);
        spec.write(out);
        ModelManifest manifest = flavor.equals(XGBOOST)
                ? trainXGBoost(config, spec, rows, seed, out)
                : trainTribuo(config, spec, rows, seed, out);
        context.log()
                .println("trained " + flavor + " on " + rows.size() + " rows of " + table.getFileName()
                        + "; package content hash " + manifest.contentHash());
    }

    private static Map<String, String> features(StepConfig config) {
        Map<String, String> out = new LinkedHashMap<>();
        if (config.isMap("features")) {
            config.map("features").forEach((name, expr) -> out.put(name, String.valueOf(expr)));
        } else {
            config.strings("features").forEach(name -> out.put(name, '"' + name.replace("\"", "\"\"") + '"'));
        }
        if (out.isEmpty()) {
            throw config.bad("features", "must list at least one feature (a column name, or name: SQL expression)");
        }
        for (String name : out.keySet()) {
            if (!name.matches("[A-Za-z_][A-Za-z0-9_.-]{0,127}")) {
                throw config.bad("features", "has a bad feature name '" + name + "' (letters, digits, _ . -)");
            }
        }
        return out;
    }

    private static ModelManifest trainXGBoost(
            StepConfig config, FeatureSpec spec, FeatureSpec.Rows rows, long seed, Path out) {
        Map<String, Object> params = new TreeMap<>();
        params.put("objective", "binary:logistic");
        params.put("nthread", 1); // one thread: the same bits on any machine
        params.putAll(config.map("params"));
        params.put("seed", seed);
        int rounds = (int) config.integer("rounds", 100);
        if (rounds < 1) {
            throw config.bad("rounds", "must be at least 1; got " + rounds);
        }
        int width = spec.features().size();
        try {
            DMatrix matrix = new DMatrix(rows.flat(width), rows.size(), width, Float.NaN);
            try {
                matrix.setLabel(rows.labels());
                Booster booster = XGBoost.train(matrix, params, rounds, Map.of(), null, null);
                try {
                    List<TensorSpec> inputs = new ArrayList<>();
                    spec.features().keySet().forEach(f -> inputs.add(TensorSpec.of(f, DataType.FP32, -1)));
                    Signature signature =
                            new Signature(inputs, List.of(TensorSpec.of("probability", DataType.FP32, -1)));
                    return XGBoostFlavor.save(booster, signature, out, ModelSpec.empty());
                } finally {
                    booster.dispose();
                }
            } finally {
                matrix.dispose();
            }
        } catch (XGBoostError e) {
            throw new CairnException(
                    ErrorCode.INVALID_PARAMETER_VALUE,
                    "XGBoost training failed (check with.params): " + e.getMessage(),
                    e);
        }
    }

    private static ModelManifest trainTribuo(
            StepConfig config, FeatureSpec spec, FeatureSpec.Rows rows, long seed, Path out) {
        int epochs = (int) config.integer("epochs", 5);
        if (epochs < 1) {
            throw config.bad("epochs", "must be at least 1; got " + epochs);
        }
        String[] names = spec.features().keySet().toArray(String[]::new);
        LabelFactory factory = new LabelFactory();
        MutableDataset<Label> dataset =
                new MutableDataset<>(new SimpleDataSourceProvenance("train step", factory), factory);
        for (int i = 0; i < rows.size(); i++) {
            float[] f = rows.features().get(i);
            double[] values = new double[f.length];
            for (int j = 0; j < f.length; j++) {
                values[j] = Float.isNaN(f[j]) ? 0 : f[j]; // Tribuo has no missing values
            }
            Example<Label> example = new ArrayExample<>(new Label(rows.labels()[i] == 1f ? "1" : "0"), names, values);
            dataset.add(example);
        }
        LinearSGDTrainer trainer =
                new LinearSGDTrainer(new LogMulticlass(), new AdaGrad(1.0, 0.1), epochs, 1000, 1, seed);
        Model<Label> model = trainer.train(dataset);
        return TribuoFlavor.save(model, out, ModelSpec.empty());
    }
}
