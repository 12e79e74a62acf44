package dev.cairn.server;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.io.JsonStringEncoder;
import dev.cairn.core.CairnException;
import dev.cairn.core.ErrorCode;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.javalin.router.EndpointNotFound;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns every failure into {@code {"error_code": ..., "message": ...}} with the matching status:
 * never a stack trace or an HTML page to a client. Unexpected failures are logged with a reference
 * that the client's message repeats.
 */
final class HttpErrors {
    private static final Logger LOG = LoggerFactory.getLogger(HttpErrors.class);

    private HttpErrors() {}

    static void register(RoutesConfig routes) {
        routes.exception(CairnException.class, HttpErrors::cairn);
        routes.exception(HttpResponseException.class, HttpErrors::javalin);
        routes.exception(JacksonException.class, (e, ctx) -> cairn(JsonRequests.translate(e), ctx));
        routes.exception(Exception.class, (e, ctx) -> respond(ctx, 500, ErrorCode.INTERNAL_ERROR, internal(e)));
    }

    private static void cairn(CairnException e, Context ctx) {
        if (e.code().httpStatus() >= 500) {
            LOG.error("{} {} failed with {}", ctx.method(), ctx.path(), e.code(), e);
        }
        respond(ctx, e.code().httpStatus(), e.code(), e.getMessage());
    }

    private static void javalin(HttpResponseException e, Context ctx) {
        int status = e.getStatus();
        if (e instanceof EndpointNotFound) {
            respond(ctx, 404, ErrorCode.ENDPOINT_NOT_FOUND, "No endpoint " + ctx.method() + " " + ctx.path());
        } else if (status == 404) {
            respond(ctx, 404, ErrorCode.RESOURCE_DOES_NOT_EXIST, e.getMessage());
        } else {
            respond(ctx, status, codeFor(status), e.getMessage());
        }
    }

    /** The error code that best describes an HTTP status raised outside Cairn's own code. */
    static ErrorCode codeFor(int status) {
        return switch (status) {
            case 401 -> ErrorCode.UNAUTHENTICATED;
            case 403 -> ErrorCode.PERMISSION_DENIED;
            case 404 -> ErrorCode.ENDPOINT_NOT_FOUND;
            case 413 -> ErrorCode.REQUEST_ENTITY_TOO_LARGE;
            case 429 -> ErrorCode.REQUEST_LIMIT_EXCEEDED;
            case 503 -> ErrorCode.TEMPORARILY_UNAVAILABLE;
            default -> status >= 500 ? ErrorCode.INTERNAL_ERROR : ErrorCode.BAD_REQUEST;
        };
    }

    static String internal(Throwable e) {
        String reference = UUID.randomUUID().toString();
        LOG.error("unexpected failure, reference {}", reference, e);
        return "Internal error (reference " + reference + ")";
    }

    /** The JSON error body. */
    static String body(ErrorCode code, String message) {
        String text = message == null || message.isEmpty() ? code.name() : message;
        return "{\"error_code\": \"" + code.name() + "\", \"message\": \""
                + new String(JsonStringEncoder.getInstance().quoteAsString(text)) + "\"}";
    }

    private static void respond(Context ctx, int status, ErrorCode code, String message) {
        HttpServletResponse res = ctx.res();
        if (res.isCommitted()) {
            // A streamed response already went out; the client sees a truncated body, never a fake success.
            LOG.warn("{} {} failed after the response was committed: {} {}", ctx.method(), ctx.path(), code, message);
            return;
        }
        res.resetBuffer();
        ctx.status(status).contentType("application/json").result(body(code, message));
    }

    /** Handles {@link Error}s (out of memory, stack overflow) that Javalin does not pass to exception handlers. */
    static void fatal(HttpServletResponse response, Error error) {
        String message = internal(error);
        if (response.isCommitted()) {
            return;
        }
        try {
            response.resetBuffer();
            response.setStatus(500);
            response.setContentType("application/json");
            response.getOutputStream()
                    .write(body(ErrorCode.INTERNAL_ERROR, message).getBytes(StandardCharsets.UTF_8));
        } catch (IOException | IllegalStateException e) {
            LOG.warn("could not write the error response", e);
        }
    }
}
