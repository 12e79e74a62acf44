package dev.cairn.models.onnx;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
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
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The ONNX flavor: a {@code model.onnx} file run by ONNX Runtime. Its signature is read from the
 * graph's tensor inputs and outputs; non-tensor outputs (maps, sequences) are left out.
 */
public final class OnnxFlavor implements PredictorFactory {
    public static final String NAME = "onnx";
    static final String MODEL_FILE = "model.onnx";

    @Override
    public String flavor() {
        return NAME;
    }

    /** Copies the ONNX file {@code onnxFile} into a new model package in {@code directory}. */
    public static ModelManifest save(Path onnxFile, Path directory, ModelSpec spec) {
        try {
            return save(Files.readAllBytes(onnxFile), directory, spec);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + onnxFile, e);
        }
    }

    /** Writes the serialized ONNX model {@code onnxModel} as a model package in {@code directory}. */
    public static ModelManifest save(byte[] onnxModel, Path directory, ModelSpec spec) {
        try {
            Files.createDirectories(directory);
            Files.write(directory.resolve(MODEL_FILE), onnxModel);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the model into " + directory, e);
        }
        var requirement = Flavors.requirement("com.microsoft.onnxruntime", "onnxruntime");
        return ModelPackage.seal(
                directory,
                NAME,
                Map.of("model_file", MODEL_FILE),
                Map.of(requirement.getKey(), requirement.getValue()),
                signatureOf(directory.resolve(MODEL_FILE)),
                spec);
    }

    /** The signature that the ONNX graph in {@code onnxFile} declares. */
    public static Signature signatureOf(Path onnxFile) {
        try (OrtSession session = OrtEnvironment.getEnvironment().createSession(onnxFile.toString())) {
            return signatureOf(session);
        } catch (OrtException e) {
            throw Flavors.loadFailure(onnxFile.toString(), e);
        }
    }

    @Override
    public Predictor load(Path directory, ModelManifest manifest) {
        Path file = directory.resolve(manifest.flavorOption("model_file"));
        OrtEnvironment environment = OrtEnvironment.getEnvironment();
        try (var options = new OrtSession.SessionOptions()) {
            // One thread per call: requests run in parallel, and a pool hand-off costs more than a small batch.
            options.setIntraOpNumThreads(1);
            options.setInterOpNumThreads(1);
            OrtSession session = environment.createSession(file.toString(), options);
            Signature actual = signatureOf(session);
            for (TensorSpec input : manifest.signature().inputs()) {
                if (actual.input(input.name()).isEmpty()) {
                    session.close();
                    throw Flavors.loadFailure(
                            file.toString(),
                            CairnException.invalid(
                                    "the graph has no input '" + input.name() + "' named in the signature"));
                }
            }
            return new OnnxPredictor(environment, session, manifest.signature());
        } catch (OrtException e) {
            throw Flavors.loadFailure(file.toString(), e);
        }
    }

    static Signature signatureOf(OrtSession session) throws OrtException {
        return new Signature(specs(session.getInputInfo()), specs(session.getOutputInfo()));
    }

    private static List<TensorSpec> specs(Map<String, NodeInfo> nodes) {
        var specs = new ArrayList<TensorSpec>();
        for (NodeInfo node : nodes.values()) {
            if (node.getInfo() instanceof TensorInfo info && info.type != OnnxJavaType.UNKNOWN) {
                specs.add(TensorSpec.of(node.getName(), datatype(info.type), info.getShape()));
            }
        }
        return specs;
    }

    static DataType datatype(OnnxJavaType type) {
        return switch (type) {
            case FLOAT -> DataType.FP32;
            case DOUBLE -> DataType.FP64;
            case INT8 -> DataType.INT8;
            case INT16 -> DataType.INT16;
            case INT32 -> DataType.INT32;
            case INT64 -> DataType.INT64;
            case BOOL -> DataType.BOOL;
            case STRING -> DataType.BYTES;
            case UINT8 -> DataType.UINT8;
            case FLOAT16 -> DataType.FP16;
            default -> throw CairnException.invalid("ONNX type " + type + " is not supported");
        };
    }
}
