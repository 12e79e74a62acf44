package dev.cairn.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cairn.core.CairnException;
import dev.cairn.core.ErrorCode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

/**
 * JSON calls to a Cairn server's REST API for the commands that have no SDK method yet; an
 * {@code {"error_code", "message"}} answer becomes the {@link CairnException} it names.
 */
final class RestCalls {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    private final String base;
    private final Map<String, String> headers;

    RestCalls(String trackingUri, Map<String, String> headers) {
        this.base = trackingUri.replaceAll("/+$", "");
        this.headers = Map.copyOf(headers);
    }

    /** One call; {@code body} may be null for none. */
    JsonNode call(String method, String path, JsonNode body) {
        HttpResponse<String> response = send(method, path, body);
        try {
            return JSON.readTree(response.body().isEmpty() ? "{}" : response.body());
        } catch (IOException e) {
            throw new UncheckedIOException("the Cairn server at " + base + " answered no JSON: " + e.getMessage(), e);
        }
    }

    /** A GET of a document that is not JSON (a rendered model card); errors still arrive as JSON. */
    String text(String path) {
        return send("GET", path, null).body();
    }

    private HttpResponse<String> send(String method, String path, JsonNode body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path))
                .timeout(Duration.ofSeconds(60))
                .header("Content-Type", "application/json")
                .method(
                        method,
                        body == null
                                ? HttpRequest.BodyPublishers.noBody()
                                : HttpRequest.BodyPublishers.ofString(body.toString()));
        headers.forEach(request::header);
        try {
            HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() >= 400) {
                JsonNode answer = JSON.readTree(response.body().isEmpty() ? "{}" : response.body());
                throw new CairnException(
                        errorCode(answer), answer.path("message").asText(response.body()));
            }
            return response;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot reach the Cairn server at " + base + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private static ErrorCode errorCode(JsonNode answer) {
        try {
            return ErrorCode.valueOf(answer.path("error_code").asText("INTERNAL_ERROR"));
        } catch (IllegalArgumentException e) {
            return ErrorCode.INTERNAL_ERROR;
        }
    }
}
