package dev.cairn.models;

import dev.cairn.core.CairnException;
import dev.cairn.core.ErrorCode;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/** What every flavor needs: arranging inputs as a row-major feature matrix and naming runtime versions. */
public final class Flavors {
    private Flavors() {}

    /**
     * The inputs as one row-major {@code float} matrix of {@code width} columns: either the single
     * input of shape {@code [n, width]}, or {@code width} column inputs of shape {@code [n]}, taken in
     * signature order.
     */
    public static float[] featureMatrix(Signature signature, List<Tensor> inputs, int width) {
        if (signature.inputs().size() == 1) {
            Tensor only = find(inputs, signature.inputs().get(0).name());
            if (only.rowWidth() != width) {
                throw CairnException.invalid(
                        "input '" + only.name() + "': expected " + width + " features per row, got " + only.rowWidth());
            }
            return only.toFloats();
        }
        int rows = -1;
        float[] matrix = null;
        List<TensorSpec> specs = signature.inputs();
        for (int c = 0; c < specs.size(); c++) {
            Tensor column = find(inputs, specs.get(c).name());
            if (matrix == null) {
                rows = column.batchSize();
                matrix = new float[rows * width];
            } else if (column.batchSize() != rows) {
                throw CairnException.invalid("input '" + column.name() + "': has " + column.batchSize()
                        + " rows but input '" + specs.get(0).name() + "' has " + rows);
            }
            for (int r = 0; r < rows; r++) {
                matrix[r * width + c] = column.floatAt(r);
            }
        }
        return matrix;
    }

    /** The input named {@code name}, or a 400-class error naming it. */
    public static Tensor find(List<Tensor> inputs, String name) {
        for (Tensor tensor : inputs) {
            if (tensor.name().equals(name)) {
                return tensor;
            }
        }
        throw CairnException.invalid("input '" + name + "' is missing");
    }

    /** The version of a Maven artifact on the class path, from its {@code pom.properties}. */
    public static Map.Entry<String, String> requirement(String groupId, String artifactId) {
        String resource = "/META-INF/maven/" + groupId + "/" + artifactId + "/pom.properties";
        try (InputStream in = Flavors.class.getResourceAsStream(resource)) {
            var properties = new Properties();
            if (in != null) {
                properties.load(in);
            }
            return Map.entry(groupId + ":" + artifactId, properties.getProperty("version", "unknown"));
        } catch (IOException e) {
            return Map.entry(groupId + ":" + artifactId, "unknown");
        }
    }

    /** A failure of a model runtime while loading {@code what}, as a clear error. */
    public static CairnException loadFailure(String what, Exception cause) {
        return new CairnException(ErrorCode.INVALID_STATE, "cannot load " + what + ": " + cause.getMessage(), cause);
    }
}
