package dev.cairn.server;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/** Errors Jetty raises before a request reaches Javalin (bad request line, oversized headers) as JSON. */
final class JettyErrors extends ErrorHandler {
    @Override
    protected void generateResponse(
            Request request, Response response, int code, String message, Throwable cause, Callback callback)
            throws IOException {
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
        response.write(true, ByteBuffer.wrap(json(code, message)), callback);
    }

    private static byte[] json(int status, String message) {
        String text = message == null || message.isBlank() ? "HTTP " + status : message;
        return HttpErrors.body(HttpErrors.codeFor(status), text).getBytes(StandardCharsets.UTF_8);
    }
}
