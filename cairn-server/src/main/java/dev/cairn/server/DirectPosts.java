package dev.cairn.server;

import dev.cairn.core.CairnException;
import dev.cairn.core.ErrorCode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.http.PreEncodedHttpField;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers a few high-rate JSON POST endpoints on Jetty, before Javalin: looked up by exact path in
 * a map instead of Javalin's route-by-route regular expressions, and without the servlet layers.
 * For a single log-metric call those layers cost more CPU than the call itself. The answers, error
 * bodies, access-log line and {@code http.server.requests} timer are those of the same endpoint
 * mounted on Javalin, which still serves every other request (and these paths spelled differently,
 * e.g. with a trailing slash).
 */
public final class DirectPosts extends Handler.Wrapper {
    private static final Logger LOG = LoggerFactory.getLogger(DirectPosts.class);
    private static final HttpField JSON = new PreEncodedHttpField(HttpHeader.CONTENT_TYPE, "application/json");

    /** A POST endpoint: decodes {@code body} and writes the JSON answer to {@code out}. */
    @FunctionalInterface
    public interface Endpoint {
        void answer(byte[] body, ByteArrayOutputStream out) throws IOException;
    }

    private final JsonRequests requests;
    private final AccessLog accessLog;
    private final Map<String, Endpoint> byPath = new HashMap<>();

    DirectPosts(JsonRequests requests, AccessLog accessLog) {
        this.requests = requests;
        this.accessLog = accessLog;
    }

    /** Answers POST {@code path} (absolute, e.g. {@code /api/2.0/mlflow/runs/log-metric}) here; call before start. */
    public void add(String path, Endpoint endpoint) {
        byPath.put(path, endpoint);
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        Endpoint endpoint = HttpMethod.POST.is(request.getMethod())
                ? byPath.get(request.getHttpURI().getPath())
                : null;
        if (endpoint == null) {
            return super.handle(request, response, callback);
        }
        long start = System.nanoTime();
        int status = 200;
        byte[] answer;
        try {
            byte[] body = requests.boundedBody(request.getLength(), () -> Request.asInputStream(request));
            ByteArrayOutputStream out = new ByteArrayOutputStream(64);
            endpoint.answer(body, out);
            answer = out.toByteArray();
        } catch (CairnException e) {
            status = e.code().httpStatus();
            if (status >= 500) {
                LOG.error("POST {} failed with {}", request.getHttpURI().getPath(), e.code(), e);
            }
            answer = error(e.code(), e.getMessage());
        } catch (Exception e) {
            status = 500;
            answer = error(ErrorCode.INTERNAL_ERROR, HttpErrors.internal(e));
        }
        response.setStatus(status);
        response.getHeaders().put(JSON);
        response.write(true, ByteBuffer.wrap(answer), callback);
        String path = request.getHttpURI().getPath();
        accessLog.record("POST", path, path, status, System.nanoTime() - start);
        return true;
    }

    private static byte[] error(ErrorCode code, String message) {
        return HttpErrors.body(code, message).getBytes(StandardCharsets.UTF_8);
    }
}
