package dev.cairn.client;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandler;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ThreadLocalRandom;

/**
 * HTTP to one Cairn (or MLflow) server: JSON calls, artifact transfers, and the retry policy.
 *
 * <p>Connection errors, timeouts, 5xx and 429 are retried with exponential back-off and jitter.
 * A request that is not idempotent is retried only when the server cannot have acted on it
 * (the connection was refused, or the answer was 429 or 503), so a timeout never creates a second run.
 */
final class RestTransport {
    private static final String JSON = "application/json";

    private final URI base;
    private final ClientOptions options;
    private final HttpClient http;
    private final ObjectMapper mapper;

    RestTransport(URI base, ClientOptions options) {
        this.base = base;
        this.options = options;
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(options.connectTimeout())
                .followRedirects(HttpClient.Redirect.NORMAL)
                .build();
        this.mapper = JsonMapper.builder()
                .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
                .build();
    }

    /** Parses a user-supplied server URL, e.g. {@code http://127.0.0.1:5000}. */
    static URI parseBase(String url) {
        if (url == null || url.isBlank()) {
            throw CairnClientException.invalid("tracking URI must not be empty");
        }
        URI uri;
        try {
            uri = URI.create(url.strip());
        } catch (IllegalArgumentException e) {
            throw CairnClientException.invalid("tracking URI '" + url + "' is not a URL: " + e.getMessage());
        }
        String scheme = uri.getScheme();
        if (!"http".equals(scheme) && !"https".equals(scheme) || uri.getHost() == null) {
            throw CairnClientException.invalid(
                    "tracking URI '" + url + "' must be an http:// or https:// URL with a host");
        }
        String text = uri.toString();
        return URI.create(text.endsWith("/") ? text.substring(0, text.length() - 1) : text);
    }

    URI base() {
        return base;
    }

    ObjectMapper mapper() {
        return mapper;
    }

    /** GET with query parameters given as key, value, key, value...; a key may repeat. */
    JsonNode get(String path, String... query) {
        HttpRequest request = request(path + queryString(query)).GET().build();
        return json(request, exchange(request, BodyHandlers.ofByteArray(), true));
    }

    /** POST of a JSON body; {@code idempotent} decides whether timeouts are retried. */
    JsonNode post(String path, JsonNode body, boolean idempotent) {
        HttpRequest request = request(path)
                .header("Content-Type", JSON)
                .POST(HttpRequest.BodyPublishers.ofByteArray(write(body)))
                .build();
        return json(request, exchange(request, BodyHandlers.ofByteArray(), idempotent));
    }

    /** PUT of a file's bytes; content-addressed on the server, so a retry is harmless. */
    void upload(String path, Path file) {
        HttpRequest request;
        try {
            request = request(path)
                    .header("Content-Type", "application/octet-stream")
                    .PUT(HttpRequest.BodyPublishers.ofFile(file))
                    .build();
        } catch (IOException e) {
            throw CairnClientException.invalid("cannot read artifact file " + file + ": " + e.getMessage());
        }
        json(request, exchange(request, BodyHandlers.ofByteArray(), true));
    }

    /** PUT of bytes held in memory; content-addressed on the server, so a retry is harmless. */
    void upload(String path, byte[] content) {
        HttpRequest request = request(path)
                .header("Content-Type", "application/octet-stream")
                .PUT(HttpRequest.BodyPublishers.ofByteArray(content))
                .build();
        json(request, exchange(request, BodyHandlers.ofByteArray(), true));
    }

    byte[] download(String path) {
        HttpRequest request = request(path).GET().build();
        HttpResponse<byte[]> response = exchange(request, BodyHandlers.ofByteArray(), true);
        if (response.statusCode() / 100 != 2) {
            throw failure(request, response.statusCode(), response.body());
        }
        return response.body();
    }

    /** Streams a download into {@code target} through a temporary file next to it. */
    void download(String path, Path target) {
        HttpRequest request = request(path).GET().build();
        Path partial = target.resolveSibling(target.getFileName() + ".part");
        try {
            Files.createDirectories(target.toAbsolutePath().getParent());
            HttpResponse<Path> response = exchange(
                    request,
                    BodyHandlers.ofFile(
                            partial,
                            StandardOpenOption.CREATE,
                            StandardOpenOption.WRITE,
                            StandardOpenOption.TRUNCATE_EXISTING),
                    true);
            if (response.statusCode() / 100 != 2) {
                throw failure(request, response.statusCode(), Files.readAllBytes(partial));
            }
            Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new CairnClientException(
                    CairnClientException.CONNECTION_FAILED, "cannot write " + target + ": " + e.getMessage(), e);
        } finally {
            deleteQuietly(partial);
        }
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create(base + path))
                .timeout(options.requestTimeout())
                .header("Accept", JSON);
    }

    private <T> HttpResponse<T> exchange(HttpRequest request, BodyHandler<T> handler, boolean idempotent) {
        for (int attempt = 1; ; attempt++) {
            boolean last = attempt >= options.maxAttempts();
            try {
                HttpResponse<T> response = http.send(request, handler);
                int status = response.statusCode();
                if (last || !retryable(status, idempotent)) {
                    return response;
                }
                pause(attempt, response.headers().firstValue("Retry-After").orElse(""));
            } catch (ConnectException | HttpConnectTimeoutException e) {
                // nothing reached the server: always safe to try again
                if (last) {
                    throw unreachable(request, attempt, e);
                }
                pause(attempt, "");
            } catch (IOException e) {
                if (last || !idempotent) {
                    throw unreachable(request, attempt, e);
                }
                pause(attempt, "");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw interrupted(request);
            }
        }
    }

    private static boolean retryable(int status, boolean idempotent) {
        if (status == 429 || status == 503) {
            return true;
        }
        return idempotent && status >= 500;
    }

    /** Sleeps before retry {@code attempt}: the server's Retry-After, else capped doubling with jitter. */
    private void pause(int attempt, String retryAfter) {
        long cap = options.maxBackoff().toMillis();
        long millis;
        try {
            millis = Math.min(cap, Long.parseLong(retryAfter.strip()) * 1000);
        } catch (NumberFormatException e) {
            long doubled = options.initialBackoff().toMillis() << Math.min(attempt - 1, 20);
            long ceiling = Math.min(cap, doubled);
            // "equal jitter": at least half the back-off, so clients that failed together spread out
            millis = ceiling / 2 + ThreadLocalRandom.current().nextLong(ceiling / 2 + 1);
        }
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CairnClientException(CairnClientException.INTERRUPTED, "interrupted while waiting to retry", e);
        }
    }

    private JsonNode json(HttpRequest request, HttpResponse<byte[]> response) {
        if (response.statusCode() / 100 != 2) {
            throw failure(request, response.statusCode(), response.body());
        }
        byte[] body = response.body();
        if (body.length == 0) {
            return MissingNode.getInstance();
        }
        try {
            return mapper.readTree(body);
        } catch (IOException e) {
            throw new CairnClientException(
                    "INTERNAL_ERROR",
                    response.statusCode(),
                    what(request) + " answered with a body that is not JSON: " + snippet(body));
        }
    }

    /** The server's {@code error_code} and message, or the status and a snippet of a non-JSON body. */
    private CairnClientException failure(HttpRequest request, int status, byte[] body) {
        try {
            JsonNode error = mapper.readTree(body);
            if (error != null && error.hasNonNull("error_code")) {
                return new CairnClientException(
                        error.get("error_code").asText(),
                        status,
                        error.path("message").asText(""));
            }
        } catch (IOException e) {
            // not JSON: described below from the status and the raw body
        }
        String code = status >= 500 ? "INTERNAL_ERROR" : status == 404 ? "ENDPOINT_NOT_FOUND" : "BAD_REQUEST";
        return new CairnClientException(
                code, status, what(request) + " failed with HTTP " + status + ": " + snippet(body));
    }

    private CairnClientException unreachable(HttpRequest request, int attempts, IOException e) {
        String reason = e.getMessage() != null
                ? e.getMessage()
                : e instanceof ConnectException
                        ? "connection refused"
                        : e.getClass().getSimpleName();
        return new CairnClientException(
                CairnClientException.CONNECTION_FAILED,
                "no answer from " + base + " to " + what(request) + " after " + attempts + " attempt(s): " + reason,
                e);
    }

    private CairnClientException interrupted(HttpRequest request) {
        return new CairnClientException(
                CairnClientException.INTERRUPTED, "interrupted during " + what(request), new InterruptedException());
    }

    private static String what(HttpRequest request) {
        return request.method() + " " + request.uri().getRawPath();
    }

    private static String snippet(byte[] body) {
        String text = new String(body, StandardCharsets.UTF_8).strip();
        return text.length() <= 200 ? text : text.substring(0, 200) + "...";
    }

    private byte[] write(JsonNode body) {
        try {
            return mapper.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw CairnClientException.invalid("cannot encode request: " + e.getMessage());
        }
    }

    private static String queryString(String... pairs) {
        if (pairs.length % 2 != 0) {
            throw new IllegalArgumentException("query parameters must come in key, value pairs");
        }
        StringBuilder query = new StringBuilder();
        for (int i = 0; i < pairs.length; i += 2) {
            query.append(i == 0 ? '?' : '&')
                    .append(URLEncoder.encode(pairs[i], StandardCharsets.UTF_8))
                    .append('=')
                    .append(URLEncoder.encode(pairs[i + 1], StandardCharsets.UTF_8));
        }
        return query.toString();
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            // a leftover .part file is harmless; the next download truncates it
        }
    }
}
