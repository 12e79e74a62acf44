package dev.cairn.models;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A test flavor whose predictor doubles its input and can be held at a gate: the one way to make a
 * queue full or a batch form at a known moment without timing. No model runtime can do that.
 */
public final class GateFlavor implements PredictorFactory {
    public static volatile CountDownLatch gate = new CountDownLatch(0);
    public static volatile CountDownLatch entered = new CountDownLatch(0);
    public static final List<Integer> batchSizes = new CopyOnWriteArrayList<>();

    @Override
    public String flavor() {
        return "test-gate";
    }

    /** Writes a package of this flavor: input {@code x}, output {@code y = 2x}, both FP32 [-1]. */
    public static Path write(Path directory) throws IOException {
        Files.createDirectories(directory);
        Files.writeString(directory.resolve("gate.txt"), "doubles x");
        ModelPackage.seal(
                directory,
                "test-gate",
                Map.of(),
                Map.of(),
                new Signature(
                        List.of(TensorSpec.of("x", DataType.FP32, -1)), List.of(TensorSpec.of("y", DataType.FP32, -1))),
                ModelSpec.empty());
        return directory;
    }

    @Override
    public Predictor load(Path directory, ModelManifest manifest) {
        return new Predictor() {
            @Override
            public List<Tensor> predict(List<Tensor> inputs) {
                entered.countDown();
                try {
                    gate.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                float[] x = (float[]) inputs.get(0).data();
                batchSizes.add(x.length);
                float[] y = new float[x.length];
                for (int i = 0; i < x.length; i++) {
                    y[i] = 2 * x[i];
                }
                return List.of(Tensor.ofFloats("y", y, x.length));
            }

            @Override
            public void close() {}
        };
    }
}
