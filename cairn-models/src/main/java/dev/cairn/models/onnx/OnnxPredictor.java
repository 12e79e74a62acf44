package dev.cairn.models.onnx;

import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import dev.cairn.core.CairnException;
import dev.cairn.core.ErrorCode;
import dev.cairn.models.Flavors;
import dev.cairn.models.Predictor;
import dev.cairn.models.Signature;
import dev.cairn.models.Tensor;
import dev.cairn.models.TensorSpec;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import java.nio.LongBuffer;
import java.nio.ShortBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Runs an ONNX Runtime session; sessions are thread-safe, so calls run in parallel. */
final class OnnxPredictor implements Predictor {
    private final OrtEnvironment environment;
    private final OrtSession session;
    private final Signature signature;
    private final Set<String> outputNames = new LinkedHashSet<>();

    OnnxPredictor(OrtEnvironment environment, OrtSession session, Signature signature) {
        this.environment = environment;
        this.session = session;
        this.signature = signature;
        signature.outputs().forEach(spec -> outputNames.add(spec.name()));
    }

    @Override
    public List<Tensor> predict(List<Tensor> inputs) {
        Map<String, OnnxTensor> feeds = new HashMap<>();
        InputBuffers buffers = INPUT_BUFFERS.get();
        buffers.reset();
        try {
            for (TensorSpec spec : signature.inputs()) {
                feeds.put(spec.name(), toOnnx(Flavors.find(inputs, spec.name()), spec, buffers));
            }
            try (OrtSession.Result result = session.run(feeds, outputNames)) {
                var outputs = new ArrayList<Tensor>(outputNames.size());
                for (TensorSpec spec : signature.outputs()) {
                    outputs.add(fromOnnx(spec.name(), result.get(spec.name()).orElseThrow()));
                }
                return outputs;
            }
        } catch (OrtException e) {
            throw new CairnException(ErrorCode.INTERNAL_ERROR, "ONNX Runtime failed: " + e.getMessage(), e);
        } finally {
            feeds.values().forEach(OnnxTensor::close);
        }
    }

    private OnnxTensor toOnnx(Tensor tensor, TensorSpec spec, InputBuffers buffers) throws OrtException {
        long[] shape = tensor.shape();
        return switch (spec.datatype()) {
            case FP32 -> OnnxTensor.createTensor(environment, buffers.of(tensor.toFloats()), shape);
            case FP64 -> OnnxTensor.createTensor(environment, buffers.of((double[]) tensor.data()), shape);
            case INT32 -> OnnxTensor.createTensor(environment, buffers.of((int[]) tensor.data()), shape);
            case INT64 -> OnnxTensor.createTensor(environment, buffers.of((long[]) tensor.data()), shape);
            case INT16 -> OnnxTensor.createTensor(environment, buffers.of(shorts((int[]) tensor.data())), shape);
            case INT8, UINT8 ->
                OnnxTensor.createTensor(
                        environment,
                        buffers.of(bytes((int[]) tensor.data())),
                        shape,
                        spec.datatype() == dev.cairn.models.DataType.INT8 ? OnnxJavaType.INT8 : OnnxJavaType.UINT8);
            case BOOL ->
                OnnxTensor.createTensor(
                        environment, buffers.of(bytes((boolean[]) tensor.data())), shape, OnnxJavaType.BOOL);
            case BYTES -> OnnxTensor.createTensor(environment, (String[]) tensor.data(), shape);
            default ->
                throw CairnException.invalid("input '" + spec.name() + "': datatype " + spec.datatype()
                        + " is not supported by ONNX Runtime");
        };
    }

    /**
     * The direct memory a thread's input tensors are copied into, reused call after call. Given a
     * heap buffer, ONNX Runtime copies it into a new direct buffer per tensor, and each of those
     * carries a cleaner that the garbage collector must process: at ten thousand requests a second
     * that made young pauses several times longer. Inputs too large for it get their own buffer.
     */
    private static final class InputBuffers {
        private static final int MAX_REUSED = 64 * 1024;
        private ByteBuffer memory = ByteBuffer.allocateDirect(1024).order(ByteOrder.nativeOrder());

        /** Frees every slice: the tensors made from them are closed before the next call on this thread. */
        void reset() {
            memory.clear();
        }

        // Each of: the values copied into memory of their own, ready to be read from its start.
        FloatBuffer of(float[] values) {
            return take((long) values.length * Float.BYTES)
                    .asFloatBuffer()
                    .put(values)
                    .flip();
        }

        DoubleBuffer of(double[] values) {
            return take((long) values.length * Double.BYTES)
                    .asDoubleBuffer()
                    .put(values)
                    .flip();
        }

        IntBuffer of(int[] values) {
            return take((long) values.length * Integer.BYTES)
                    .asIntBuffer()
                    .put(values)
                    .flip();
        }

        LongBuffer of(long[] values) {
            return take((long) values.length * Long.BYTES)
                    .asLongBuffer()
                    .put(values)
                    .flip();
        }

        ShortBuffer of(short[] values) {
            return take((long) values.length * Short.BYTES)
                    .asShortBuffer()
                    .put(values)
                    .flip();
        }

        ByteBuffer of(byte[] values) {
            return take(values.length).put(values).flip();
        }

        /**
         * {@code bytes} of direct, native-order memory that no other input of this call uses, starting
         * on a 64-byte boundary as ONNX Runtime's own allocations do.
         */
        ByteBuffer take(long bytes) {
            int offset = align(memory.position());
            if (bytes > memory.capacity() - offset) {
                if (bytes > MAX_REUSED || memory.capacity() == MAX_REUSED) {
                    return ByteBuffer.allocateDirect(Math.toIntExact(bytes)).order(ByteOrder.nativeOrder());
                }
                // A larger block for this and later calls; slices already taken keep the old one alive.
                int size = (int) Math.min(MAX_REUSED, Math.max(2L * memory.capacity(), 2 * Long.highestOneBit(bytes)));
                memory = ByteBuffer.allocateDirect(size).order(ByteOrder.nativeOrder());
                offset = 0;
            }
            ByteBuffer slice =
                    memory.position(offset).slice().limit((int) bytes).order(ByteOrder.nativeOrder());
            memory.position(offset + (int) bytes);
            return slice;
        }

        private static int align(int position) {
            return (position + 63) & ~63;
        }
    }

    private static final ThreadLocal<InputBuffers> INPUT_BUFFERS = ThreadLocal.withInitial(InputBuffers::new);

    private static Tensor fromOnnx(String name, OnnxValue value) throws OrtException {
        if (!(value instanceof OnnxTensor tensor)) {
            throw new CairnException(ErrorCode.INTERNAL_ERROR, "ONNX output '" + name + "' is not a tensor");
        }
        TensorInfo info = tensor.getInfo();
        long[] shape = info.getShape();
        return switch (info.type) {
            case FLOAT, FLOAT16 -> Tensor.ofFloats(name, read(tensor.getFloatBuffer()), shape);
            case DOUBLE -> Tensor.ofDoubles(name, read(tensor.getDoubleBuffer()), shape);
            case INT32 -> Tensor.ofInts(name, read(tensor.getIntBuffer()), shape);
            case INT64 -> Tensor.ofLongs(name, read(tensor.getLongBuffer()), shape);
            case BOOL -> Tensor.ofBools(name, bools(tensor.getByteBuffer()), shape);
            case STRING -> Tensor.ofStrings(name, flatten(tensor.getValue(), (int) info.getNumElements()), shape);
            default ->
                throw new CairnException(
                        ErrorCode.INTERNAL_ERROR, "ONNX output '" + name + "' has unsupported type " + info.type);
        };
    }

    private static float[] read(FloatBuffer buffer) {
        float[] out = new float[buffer.remaining()];
        buffer.get(out);
        return out;
    }

    private static double[] read(DoubleBuffer buffer) {
        double[] out = new double[buffer.remaining()];
        buffer.get(out);
        return out;
    }

    private static int[] read(IntBuffer buffer) {
        int[] out = new int[buffer.remaining()];
        buffer.get(out);
        return out;
    }

    private static long[] read(LongBuffer buffer) {
        long[] out = new long[buffer.remaining()];
        buffer.get(out);
        return out;
    }

    private static boolean[] bools(ByteBuffer buffer) {
        boolean[] out = new boolean[buffer.remaining()];
        for (int i = 0; i < out.length; i++) {
            out[i] = buffer.get() != 0;
        }
        return out;
    }

    private static String[] flatten(Object nested, int count) {
        var out = new ArrayList<String>(count);
        flattenInto(nested, out);
        return out.toArray(new String[0]);
    }

    private static void flattenInto(Object nested, List<String> out) {
        if (nested instanceof String s) {
            out.add(s);
        } else {
            for (Object item : (Object[]) nested) {
                flattenInto(item, out);
            }
        }
    }

    private static short[] shorts(int[] values) {
        short[] out = new short[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = (short) values[i];
        }
        return out;
    }

    private static byte[] bytes(int[] values) {
        byte[] out = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = (byte) values[i];
        }
        return out;
    }

    private static byte[] bytes(boolean[] values) {
        byte[] out = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = (byte) (values[i] ? 1 : 0);
        }
        return out;
    }

    @Override
    public void close() {
        try {
            session.close();
        } catch (OrtException e) {
            throw new CairnException(ErrorCode.INTERNAL_ERROR, "cannot close the ONNX session: " + e.getMessage(), e);
        }
    }
}
