package dev.cairn.models;

import dev.cairn.core.CairnException;

/**
 * A tensor element type, named as the Open Inference Protocol names it. Each type is held in one
 * Java primitive array kind (its {@link Storage}), wide enough for every value of the type.
 */
public enum DataType {
    BOOL(Storage.BOOL),
    UINT8(Storage.INT),
    UINT16(Storage.INT),
    UINT32(Storage.LONG),
    UINT64(Storage.LONG),
    INT8(Storage.INT),
    INT16(Storage.INT),
    INT32(Storage.INT),
    INT64(Storage.LONG),
    FP16(Storage.FLOAT),
    FP32(Storage.FLOAT),
    FP64(Storage.DOUBLE),
    BYTES(Storage.STRING);
    /** {@link #values()} copies its array on every call; parsing runs once per tensor of every request. */
    private static final DataType[] ALL = values();

    /** The Java array that holds the elements of a tensor of this type. */
    public enum Storage {
        BOOL(boolean[].class),
        INT(int[].class),
        LONG(long[].class),
        FLOAT(float[].class),
        DOUBLE(double[].class),
        STRING(String[].class);

        private final Class<?> arrayClass;

        Storage(Class<?> arrayClass) {
            this.arrayClass = arrayClass;
        }

        public Class<?> arrayClass() {
            return arrayClass;
        }
    }

    private final Storage storage;

    DataType(Storage storage) {
        this.storage = storage;
    }

    public Storage storage() {
        return storage;
    }

    public boolean isNumeric() {
        return this != BOOL && this != BYTES;
    }

    public boolean isInteger() {
        return storage == Storage.INT || storage == Storage.LONG;
    }

    /** Whether {@code value} fits this integer type; unsigned 64-bit values above 2^63 are not supported. */
    public boolean fits(long value) {
        return switch (this) {
            case UINT8 -> value >= 0 && value <= 0xFF;
            case UINT16 -> value >= 0 && value <= 0xFFFF;
            case UINT32 -> value >= 0 && value <= 0xFFFF_FFFFL;
            case UINT64 -> value >= 0;
            case INT8 -> value >= Byte.MIN_VALUE && value <= Byte.MAX_VALUE;
            case INT16 -> value >= Short.MIN_VALUE && value <= Short.MAX_VALUE;
            case INT32 -> value >= Integer.MIN_VALUE && value <= Integer.MAX_VALUE;
            default -> true;
        };
    }

    /** The type named {@code name} (case-insensitive), or a 400-class error naming {@code field}. */
    public static DataType parse(String name, String field) {
        DataType type = find(name);
        if (type == null) {
            throw CairnException.invalid(field + ": unknown datatype '" + name + "'; expected one of BOOL, UINT8,"
                    + " UINT16, UINT32, UINT64, INT8, INT16, INT32, INT64, FP16, FP32, FP64, BYTES");
        }
        return type;
    }

    /** The type named {@code name} (case-insensitive), or null. */
    static DataType find(String name) {
        for (DataType type : ALL) {
            if (type.name().equalsIgnoreCase(name)) {
                return type;
            }
        }
        return null;
    }
}
