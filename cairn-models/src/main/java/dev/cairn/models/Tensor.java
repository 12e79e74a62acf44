package dev.cairn.models;

import dev.cairn.core.CairnException;
import java.lang.reflect.Array;
import java.util.Arrays;
import java.util.List;

/**
 * A named, typed, row-major tensor whose elements live in one primitive array (see {@link
 * DataType.Storage}); the first dimension is the batch. Tensors are not copied on the hot path:
 * callers must not change the array after handing it over.
 */
public final class Tensor {
    private final String name;
    private final DataType datatype;
    private final long[] shape;
    private final Object data;

    private Tensor(String name, DataType datatype, long[] shape, Object data) {
        this.name = name;
        this.datatype = datatype;
        this.shape = shape;
        this.data = data;
    }

    /**
     * A tensor over {@code data}, whose class must be the storage array of {@code datatype} and whose
     * length must be the product of {@code shape}.
     */
    public static Tensor of(String name, DataType datatype, Object data, long... shape) {
        CairnException.requireArgument(name != null && !name.isEmpty(), "tensor: name must not be empty");
        if (data == null || data.getClass() != datatype.storage().arrayClass()) {
            throw CairnException.invalid("tensor '" + name + "': " + datatype + " data must be a "
                    + datatype.storage().arrayClass().getSimpleName() + ", got "
                    + (data == null ? "nothing" : data.getClass().getSimpleName()));
        }
        long count = elementCount(name, shape);
        int length = Array.getLength(data);
        if (count != length) {
            throw CairnException.invalid("tensor '" + name + "': shape " + Arrays.toString(shape) + " holds " + count
                    + " elements but " + length + " arrived");
        }
        return new Tensor(name, datatype, shape.clone(), data);
    }

    public static Tensor ofFloats(String name, float[] data, long... shape) {
        return of(name, DataType.FP32, data, shape);
    }

    public static Tensor ofDoubles(String name, double[] data, long... shape) {
        return of(name, DataType.FP64, data, shape);
    }

    public static Tensor ofInts(String name, int[] data, long... shape) {
        return of(name, DataType.INT32, data, shape);
    }

    public static Tensor ofLongs(String name, long[] data, long... shape) {
        return of(name, DataType.INT64, data, shape);
    }

    public static Tensor ofBools(String name, boolean[] data, long... shape) {
        return of(name, DataType.BOOL, data, shape);
    }

    public static Tensor ofStrings(String name, String[] data, long... shape) {
        return of(name, DataType.BYTES, data, shape);
    }

    /** The number of elements of {@code shape}, or a 400-class error for a negative or huge shape. */
    public static long elementCount(String name, long[] shape) {
        long count = 1;
        for (long dim : shape) {
            if (dim < 0) {
                throw CairnException.invalid(
                        "tensor '" + name + "': shape " + Arrays.toString(shape) + " has a negative dimension");
            }
            count = Math.multiplyExact(count, dim);
            if (count > Integer.MAX_VALUE - 8) {
                throw CairnException.invalid(
                        "tensor '" + name + "': shape " + Arrays.toString(shape) + " is too large");
            }
        }
        return count;
    }

    public String name() {
        return name;
    }

    public DataType datatype() {
        return datatype;
    }

    public long[] shape() {
        return shape.clone();
    }

    public int rank() {
        return shape.length;
    }

    public long dim(int index) {
        return shape[index];
    }

    /** The size of the first dimension (1 for a scalar). */
    public int batchSize() {
        return shape.length == 0 ? 1 : (int) shape[0];
    }

    public int elementCount() {
        return Array.getLength(data);
    }

    /** The backing array: a {@code boolean[]}, {@code int[]}, {@code long[]}, {@code float[]}, {@code double[]} or {@code String[]}. */
    public Object data() {
        return data;
    }

    /** The same elements under another name. */
    public Tensor renamed(String newName) {
        return new Tensor(newName, datatype, shape, data);
    }

    /** The elements as {@code float}s: the backing array for FP32/FP16, a converted copy for other numbers. */
    public float[] toFloats() {
        if (data instanceof float[] f) {
            return f;
        }
        if (!datatype.isNumeric() && datatype != DataType.BOOL) {
            throw CairnException.invalid("tensor '" + name + "': " + datatype + " values cannot be read as numbers");
        }
        int length = elementCount();
        float[] out = new float[length];
        for (int i = 0; i < length; i++) {
            out[i] = floatAt(i);
        }
        return out;
    }

    /** The numeric element at flat index {@code i} as a {@code float} (BOOL as 0 or 1). */
    public float floatAt(int i) {
        if (data instanceof float[] f) {
            return f[i];
        } else if (data instanceof double[] d) {
            return (float) d[i];
        } else if (data instanceof int[] n) {
            return n[i];
        } else if (data instanceof long[] n) {
            return n[i];
        } else if (data instanceof boolean[] b) {
            return b[i] ? 1f : 0f;
        }
        throw CairnException.invalid("tensor '" + name + "': " + datatype + " values cannot be read as numbers");
    }

    /** The element at flat index {@code i} as a JSON-friendly value: Boolean, Number or String. */
    public Object element(int i) {
        return Array.get(data, i);
    }

    /** Rows {@code [from, to)} along the first dimension, copied. */
    public Tensor rows(int from, int to) {
        int width = rowWidth();
        Object part = Array.newInstance(data.getClass().getComponentType(), (to - from) * width);
        System.arraycopy(data, from * width, part, 0, (to - from) * width);
        long[] partShape = shape.clone();
        partShape[0] = to - from;
        return new Tensor(name, datatype, partShape, part);
    }

    /** The number of elements in one row along the first dimension. */
    public int rowWidth() {
        int width = 1;
        for (int i = 1; i < shape.length; i++) {
            width *= (int) shape[i];
        }
        return width;
    }

    /** The tensors stacked along the first dimension; they must share name, type and trailing shape. */
    public static Tensor concat(List<Tensor> parts) {
        Tensor first = parts.get(0);
        if (parts.size() == 1) {
            return first;
        }
        int rows = 0;
        for (Tensor part : parts) {
            if (part.datatype != first.datatype
                    || part.rank() != first.rank()
                    || part.rowWidth() != first.rowWidth()
                    || part.rank() == 0) {
                throw CairnException.invalid("tensor '" + first.name + "': cannot stack shape "
                        + Arrays.toString(part.shape) + " " + part.datatype + " onto " + Arrays.toString(first.shape)
                        + " " + first.datatype);
            }
            rows += part.batchSize();
        }
        int width = first.rowWidth();
        Object all = Array.newInstance(first.data.getClass().getComponentType(), rows * width);
        int at = 0;
        for (Tensor part : parts) {
            int length = part.elementCount();
            System.arraycopy(part.data, 0, all, at, length);
            at += length;
        }
        long[] shape = first.shape.clone();
        shape[0] = rows;
        return new Tensor(first.name, first.datatype, shape, all);
    }

    @Override
    public String toString() {
        return "Tensor[" + name + " " + datatype + " " + Arrays.toString(shape) + "]";
    }
}
