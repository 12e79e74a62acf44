package dev.cairn.client;

/**
 * The one unchecked exception of the SDK: the server's {@code error_code} and message when the
 * server answered, or a transport code when it did not.
 */
public final class CairnClientException extends RuntimeException {
    /** No answer from the server: refused connection, timeout or broken stream, after all retries. */
    public static final String CONNECTION_FAILED = "CONNECTION_FAILED";
    /** The calling thread was interrupted while it waited on the server or the log queue. */
    public static final String INTERRUPTED = "INTERRUPTED";
    /** The body given to {@link Experiment#run(String, RunBody)} threw a checked exception (the cause). */
    public static final String RUN_FAILED = "RUN_FAILED";
    /** The call was refused before anything was sent (bad argument, closed client or run). */
    public static final String INVALID_PARAMETER_VALUE = "INVALID_PARAMETER_VALUE";

    private final String errorCode;
    private final int httpStatus;

    public CairnClientException(String errorCode, int httpStatus, String message) {
        super(message);
        this.errorCode = errorCode;
        this.httpStatus = httpStatus;
    }

    public CairnClientException(String errorCode, String message, Throwable cause) {
        super(message, cause);
        this.errorCode = errorCode;
        this.httpStatus = 0;
    }

    static CairnClientException invalid(String message) {
        return new CairnClientException(INVALID_PARAMETER_VALUE, 0, message);
    }

    /** The server's {@code error_code} (e.g. {@code RESOURCE_DOES_NOT_EXIST}) or a transport code. */
    public String errorCode() {
        return errorCode;
    }

    /** The HTTP status of the server's answer, or 0 when there was none. */
    public int httpStatus() {
        return httpStatus;
    }

    /** True when the server answered that the resource does not exist. */
    public boolean isNotFound() {
        return "RESOURCE_DOES_NOT_EXIST".equals(errorCode);
    }
}
