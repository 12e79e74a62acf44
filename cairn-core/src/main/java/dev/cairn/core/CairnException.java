package dev.cairn.core;

/** The one unchecked exception Cairn throws on purpose: a categorized error with a message for the user. */
public final class CairnException extends RuntimeException {
    private final ErrorCode code;

    public CairnException(ErrorCode code, String message) {
        super(message);
        this.code = code;
    }

    public CairnException(ErrorCode code, String message, Throwable cause) {
        super(message, cause);
        this.code = code;
    }

    public ErrorCode code() {
        return code;
    }

    public static CairnException invalid(String message) {
        return new CairnException(ErrorCode.INVALID_PARAMETER_VALUE, message);
    }

    public static CairnException notFound(String message) {
        return new CairnException(ErrorCode.RESOURCE_DOES_NOT_EXIST, message);
    }

    public static CairnException alreadyExists(String message) {
        return new CairnException(ErrorCode.RESOURCE_ALREADY_EXISTS, message);
    }

    /** Fails with {@code INVALID_PARAMETER_VALUE} when {@code condition} is false. */
    public static void requireArgument(boolean condition, String message) {
        if (!condition) {
            throw invalid(message);
        }
    }
}
