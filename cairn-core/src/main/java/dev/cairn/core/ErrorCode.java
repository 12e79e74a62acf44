package dev.cairn.core;

/**
 * The category of a {@link CairnException}, named as MLflow's {@code databricks.ErrorCode} so that
 * REST clients see the codes they already handle, each with its HTTP status.
 */
public enum ErrorCode {
    INVALID_PARAMETER_VALUE(400),
    BAD_REQUEST(400),
    MALFORMED_REQUEST(400),
    INVALID_STATE(400),
    RESOURCE_ALREADY_EXISTS(400),
    UNAUTHENTICATED(401),
    PERMISSION_DENIED(403),
    RESOURCE_DOES_NOT_EXIST(404),
    ENDPOINT_NOT_FOUND(404),
    REQUEST_ENTITY_TOO_LARGE(413),
    REQUEST_LIMIT_EXCEEDED(429),
    INTERNAL_ERROR(500),
    TEMPORARILY_UNAVAILABLE(503);

    private final int httpStatus;

    ErrorCode(int httpStatus) {
        this.httpStatus = httpStatus;
    }

    public int httpStatus() {
        return httpStatus;
    }
}
