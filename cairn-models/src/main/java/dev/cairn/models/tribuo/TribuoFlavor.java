package dev.cairn.models.tribuo;

import dev.cairn.core.CairnException;
import dev.cairn.models.DataType;
import dev.cairn.models.Flavors;
import dev.cairn.models.ModelManifest;
import dev.cairn.models.ModelPackage;
import dev.cairn.models.ModelSpec;
import dev.cairn.models.Predictor;
import dev.cairn.models.PredictorFactory;
import dev.cairn.models.Signature;
import dev.cairn.models.TensorSpec;
import dev.cairn.models.onnx.OnnxFlavor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.tribuo.Model;
import org.tribuo.ONNXExportable;
import org.tribuo.classification.Label;

/**
 * The Tribuo flavor for classification models: the model in Tribuo's protobuf format ({@code
 * model.tribuo}), one {@code FP32 [-1]} input column per feature, and outputs {@code label} (BYTES)
 * and, for probabilistic models, {@code probabilities} ({@code [n, classes]} in the order of
 * flavor option {@code classes}). Linear models also save as ONNX packages.
 */
public final class TribuoFlavor implements PredictorFactory {
    public static final String NAME = "tribuo";
    static final String MODEL_FILE = "model.tribuo";

    @Override
    public String flavor() {
        return NAME;
    }

    /** Writes {@code model} in Tribuo's protobuf format as a model package in {@code directory}. */
    public static ModelManifest save(Model<Label> model, Path directory, ModelSpec spec) {
        try {
            Files.createDirectories(directory);
            Path file = directory.resolve(MODEL_FILE);
            model.serializeToFile(file);
            // The real training time goes to the manifest's volatile metadata below.
            Files.write(file, ProtobufTimestamps.atEpoch(Files.readAllBytes(file)));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the model into " + directory, e);
        }
        var requirement = Flavors.requirement("org.tribuo", "tribuo-core");
        return ModelPackage.seal(
                directory,
                NAME,
                Map.of("model_file", MODEL_FILE, "classes", String.join(",", classes(model))),
                Map.of(requirement.getKey(), requirement.getValue()),
                signatureOf(model),
                spec.withMetadata(
                        "trained_at", model.getProvenance().getTrainingTime().toString()));
    }

    /**
     * Exports {@code model} (a linear model or an ensemble of them) to ONNX and writes it as an ONNX
     * model package. Tribuo's provenance, which holds the training time, moves to the manifest's
     * volatile metadata so that the package's content hash depends only on what was learnt.
     */
    public static ModelManifest saveAsOnnx(Model<Label> model, Path directory, ModelSpec spec) {
        if (!(model instanceof ONNXExportable exportable)) {
            throw CairnException.invalid("model: " + model.getClass().getSimpleName()
                    + " cannot be exported to ONNX; only linear models" + " and their ensembles can");
        }
        var onnx = exportable.exportONNXModel("dev.cairn", 1);
        // The doc string repeats the provenance, timestamps included.
        var stable = onnx.toBuilder().clearMetadataProps().clearDocString();
        onnx.getMetadataPropsList().stream()
                .filter(prop -> !prop.getKey().equals(ONNXExportable.PROVENANCE_METADATA_FIELD))
                .forEach(stable::addMetadataProps);
        return OnnxFlavor.save(
                stable.build().toByteArray(),
                directory,
                spec.withMetadata(
                                "trained_at",
                                model.getProvenance().getTrainingTime().toString())
                        .withMetadata("tribuo_provenance", exportable.serializeProvenance(model.getProvenance())));
    }

    /** The signature of {@code model}: one FP32 column per feature, in feature id order. */
    public static Signature signatureOf(Model<Label> model) {
        var inputs = new ArrayList<TensorSpec>();
        for (String feature : featureNames(model)) {
            inputs.add(TensorSpec.of(feature, DataType.FP32, -1));
        }
        var outputs = new ArrayList<TensorSpec>();
        outputs.add(TensorSpec.of("label", DataType.BYTES, -1));
        if (model.generatesProbabilities()) {
            outputs.add(TensorSpec.of(
                    "probabilities", DataType.FP32, -1, model.getOutputIDInfo().size()));
        }
        return new Signature(inputs, outputs);
    }

    /** The feature names of {@code model} in id order, the column order of its ONNX export. */
    public static List<String> featureNames(Model<?> model) {
        var map = model.getFeatureIDMap();
        var names = new ArrayList<String>(map.size());
        for (int id = 0; id < map.size(); id++) {
            names.add(map.get(id).getName());
        }
        return names;
    }

    static List<String> classes(Model<Label> model) {
        var info = model.getOutputIDInfo();
        var names = new ArrayList<String>(info.size());
        for (int id = 0; id < info.size(); id++) {
            names.add(info.getOutput(id).getLabel());
        }
        return names;
    }

    @Override
    public Predictor load(Path directory, ModelManifest manifest) {
        Path file = directory.resolve(manifest.flavorOption("model_file"));
        Model<?> model;
        try {
            model = Model.deserializeFromFile(file);
        } catch (IOException | RuntimeException e) {
            throw Flavors.loadFailure(file.toString(), e);
        }
        Model<Label> classifier = model.castModel(Label.class);
        return new TribuoPredictor(classifier, manifest.signature());
    }
}
