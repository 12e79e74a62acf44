package dev.cairn.server.inference;

import dev.cairn.server.AccessLog;
import dev.cairn.server.AccessLog.RouteTimers;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.http.HttpURI;
import org.eclipse.jetty.http.PreEncodedHttpField;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;

/**
 * Answers {@code POST /v2/models/MODEL[/versions/VERSION]/infer} and {@code POST /invocations} on
 * Jetty directly, before Javalin: the path is split by hand rather than matched against every
 * route's regular expression, and the answer is the one {@link InferenceRoutes} gives through
 * Javalin. Each request still counts in the {@code http.server.requests} timer of its route, whose
 * meters are resolved once per status; only failed requests get an access-log line, as the
 * inference log already records the others. Any other request, any path this handler does not read
 * exactly (escaped characters, trailing slashes) and any body declared larger than the limit goes
 * to the wrapped handler.
 */
public final class InferenceHandler extends Handler.Wrapper {
    private static final HttpField JSON = new PreEncodedHttpField(HttpHeader.CONTENT_TYPE, "application/json");
    private static final HttpField RETRY_AFTER =
            new PreEncodedHttpField(HttpHeader.RETRY_AFTER, InferenceRoutes.RETRY_AFTER_SECONDS);
    private static final String MODELS = "/v2/models/";
    private static final String INFER = "/infer";
    private static final String VERSIONS = "/versions/";

    private final InferenceRoutes routes;
    private final AccessLog accessLog;
    private final RouteTimers infer;
    private final RouteTimers inferVersion;
    private final RouteTimers invocations;

    InferenceHandler(InferenceRoutes routes, AccessLog accessLog) {
        this.routes = routes;
        this.accessLog = accessLog;
        this.infer = accessLog.timers("POST", "/v2/models/{model}/infer");
        this.inferVersion = accessLog.timers("POST", "/v2/models/{model}/versions/{version}/infer");
        this.invocations = accessLog.timers("POST", "/invocations");
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        if (!HttpMethod.POST.is(request.getMethod()) || request.getLength() > routes.maxBodyBytes()) {
            // A body declared too large gets its 413 through Javalin; UnreadBodies, in front, reads
            // what is left of it so that the client gets the answer.
            return super.handle(request, response, callback);
        }
        long start = System.nanoTime();
        HttpURI uri = request.getHttpURI();
        String path = uri.getPath();
        if (path.equals("/invocations")) {
            Fields query = uri.getQuery() == null ? null : Request.extractQueryParameters(request);
            HttpFields headers = request.getHeaders();
            var reply = routes.invocations(
                    headers.get(HttpHeader.CONTENT_TYPE),
                    query == null ? null : query.getValue("model"),
                    query == null ? null : query.getValue("version"),
                    headers.get(InferenceRoutes.ROUTING_KEY_HEADER),
                    request.getLength(),
                    body(request));
            answer(request, response, callback, reply, invocations, start);
            return true;
        }
        // "/v2/models/infer" starts with MODELS and ends with INFER sharing one slash: too short to read.
        if (path.length() < MODELS.length() + INFER.length() || !path.startsWith(MODELS) || !path.endsWith(INFER)) {
            return super.handle(request, response, callback);
        }
        String middle = path.substring(MODELS.length(), path.length() - INFER.length());
        int slash = middle.indexOf('/');
        String model = slash < 0 ? middle : middle.substring(0, slash);
        String version = slash < 0 ? "" : versionIn(middle, slash);
        if (!plain(model) || (slash >= 0 && !plain(version))) {
            return super.handle(request, response, callback);
        }
        var reply = routes.infer(
                model,
                version,
                request.getHeaders().get(InferenceRoutes.ROUTING_KEY_HEADER),
                request.getLength(),
                () -> body(request),
                () -> "POST " + path);
        answer(request, response, callback, reply, slash < 0 ? infer : inferVersion, start);
        return true;
    }

    /**
     * The request body as a stream whose {@code close} reads what the parser left unread (a trailing
     * newline, or all of it when the request is refused early) rather than failing with Jetty's
     * "closed before EOF", so that a refusal keeps its own status and the connection stays usable.
     * It reads at most the body limit; a longer body is refused anyway and its connection closed.
     */
    private InputStream body(Request request) {
        long limit = routes.maxBodyBytes() + 1;
        return new FilterInputStream(Request.asInputStream(request)) {
            @Override
            public void close() throws IOException {
                try {
                    if (in.read() >= 0) { // usually the parser has met the end already
                        byte[] scratch = new byte[8192];
                        long left = limit - 1;
                        int n;
                        while (left > 0 && (n = in.read(scratch, 0, (int) Math.min(scratch.length, left))) >= 0) {
                            left -= n;
                        }
                    }
                    in.close();
                } catch (IOException e) {
                    // the body did not end within the limit, or the client went away: Jetty closes the connection
                }
            }
        };
    }

    /** The VERSION of {@code MODEL/versions/VERSION}, or {@code ""} (not plain) for any other shape. */
    private static String versionIn(String middle, int slash) {
        return middle.startsWith(VERSIONS, slash) ? middle.substring(slash + VERSIONS.length()) : "";
    }

    /** A non-empty path segment of the characters model names and versions allow: nothing to decode. */
    private static boolean plain(String segment) {
        if (segment.isEmpty()) {
            return false;
        }
        for (int i = 0; i < segment.length(); i++) {
            char c = segment.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z')
                    || (c >= 'A' && c <= 'Z')
                    || (c >= '0' && c <= '9')
                    || c == '.'
                    || c == '_'
                    || c == '-';
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    private void answer(
            Request request,
            Response response,
            Callback callback,
            InferenceRoutes.Reply reply,
            RouteTimers timers,
            long start) {
        int status = reply.status();
        response.setStatus(status);
        HttpFields.Mutable headers = response.getHeaders();
        headers.put(JSON);
        if (reply.retryAfter()) {
            headers.put(RETRY_AFTER);
        }
        response.write(true, ByteBuffer.wrap(reply.body()), callback);
        long nanos = System.nanoTime() - start;
        timers.of(status).record(nanos, TimeUnit.NANOSECONDS);
        if (status >= 300) {
            accessLog.line("POST", request.getHttpURI().getPath(), status, nanos);
        }
    }
}
