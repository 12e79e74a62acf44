package dev.cairn.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.core.CairnException;
import dev.cairn.store.Database;
import dev.cairn.store.TestDatabases;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CairnServerTest {
    @TempDir
    static Path home;

    static CairnServer server;
    static HttpCalls http;

    @BeforeAll
    static void start() {
        server = TestServers.start(
                TestDatabases.Kind.SQLITE,
                ServerConfig.builder().home(home).port(0).maxJsonBodyBytes(64 * 1024));
        http = new HttpCalls(server);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void listensOnAnyFreePortWhenPortIsZero() {
        assertThat(server.port()).isPositive().isNotEqualTo(ServerConfig.DEFAULT_PORT);
    }

    @Test
    void healthAnswersOkWhenTheStoreAnswers() {
        HttpCalls.Answer answer = http.get("/health");
        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.body()).isEqualTo("OK");
    }

    @Test
    void metricsExposeJvmAndPerRouteRequestMetrics() {
        http.get("/health");
        HttpCalls.Answer answer = http.get("/metrics");
        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.contentType()).startsWith("text/plain");
        assertThat(answer.body()).contains("jvm_memory_used_bytes");
        assertThat(answer.body())
                .contains("http_server_requests_seconds_count{method=\"GET\",route=\"/health\",status=\"200\"}");
    }

    @Test
    void unknownEndpointIsAJson404() {
        HttpCalls.Answer answer = http.get("/api/2.0/mlflow/no-such-thing");
        assertThat(answer.status()).isEqualTo(404);
        assertThat(answer.json().get("error_code").asText()).isEqualTo("ENDPOINT_NOT_FOUND");
        assertThat(answer.json().get("message").asText()).contains("/api/2.0/mlflow/no-such-thing");
    }

    @Test
    void wrongMethodIsAJsonError() {
        HttpCalls.Answer answer = http.send(
                HttpRequest.newBuilder(URI.create(TestServers.baseUrl(server) + "/api/2.0/mlflow/runs/create"))
                        .PUT(HttpRequest.BodyPublishers.ofString("{}")));
        assertThat(answer.status()).isBetween(400, 499);
        assertThat(answer.json().has("error_code")).isTrue();
    }

    @Test
    void bodyOverTheLimitIsAJson413() {
        String big = "{\"name\": \"" + "x".repeat(65 * 1024) + "\"}";
        HttpCalls.Answer answer = http.post("/api/2.0/mlflow/experiments/create", big);
        assertThat(answer.status()).isEqualTo(413);
        assertThat(answer.json().get("error_code").asText()).isEqualTo("REQUEST_ENTITY_TOO_LARGE");
    }

    @Test
    void chunkedBodyOverTheLimitIsAJson413() {
        byte[] big = ("{\"name\": \"" + "x".repeat(65 * 1024) + "\"}").getBytes(StandardCharsets.UTF_8);
        HttpCalls.Answer answer = http.send(
                HttpRequest.newBuilder(URI.create(TestServers.baseUrl(server) + "/api/2.0/mlflow/experiments/create"))
                        .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(big))));
        assertThat(answer.status()).isEqualTo(413);
        assertThat(answer.json().get("error_code").asText()).isEqualTo("REQUEST_ENTITY_TOO_LARGE");
    }

    /**
     * The refusal is answered while the body is still on its way, and the client can finish sending
     * it: the server reads it to its end instead of closing, which would reset the connection under
     * the client and lose the answer. Both kinds of endpoint: through Javalin, and answered on Jetty.
     */
    @ParameterizedTest
    @ValueSource(strings = {"/api/2.0/mlflow/experiments/create", "/api/2.0/mlflow/runs/log-metric"})
    void aRefusedBodyCanStillBeSentWholeAndTheAnswerSurvivesIt(String path) throws IOException {
        int length = 1024 * 1024;
        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            InputStream in = new BufferedInputStream(socket.getInputStream());
            out.write(("POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                            + "Content-Length: " + length + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            byte[] piece = new byte[64 * 1024];
            Arrays.fill(piece, (byte) ' ');
            out.write(piece);
            out.flush();

            String head = HttpCalls.readResponseHead(in);
            assertThat(head).startsWith("HTTP/1.1 413");
            for (int sent = piece.length; sent < length; sent += piece.length) {
                out.write(piece);
            }
            out.flush();
            if (head.toLowerCase(Locale.ROOT).contains("connection: close")) {
                assertThat(in.read())
                        .as("a clean end of the connection, not a reset")
                        .isEqualTo(-1);
            } else {
                out.write("GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
                assertThat(HttpCalls.readResponseHead(in)).startsWith("HTTP/1.1 200");
            }
        }
    }

    /** A client that waits for 100 Continue is refused before it sends its body, and the connection ends at once. */
    @Test
    void aRefusalBeforeContinueClosesWithoutWaitingForABodyThatWillNotCome() throws IOException {
        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            socket.setSoTimeout(10_000); // well below the idle timeout a wait for the body would last
            OutputStream out = socket.getOutputStream();
            InputStream in = new BufferedInputStream(socket.getInputStream());
            out.write(("POST /api/2.0/mlflow/experiments/create HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                            + "Content-Type: application/json\r\nExpect: 100-continue\r\nContent-Length: "
                            + (1024 * 1024) + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();

            assertThat(HttpCalls.readResponseHead(in)).startsWith("HTTP/1.1 413");
            assertThat(in.read()).isEqualTo(-1);
        }
    }

    @Test
    void requestJettyRejectsBeforeRoutingIsStillJson() throws IOException {
        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            OutputStream out = socket.getOutputStream();
            out.write("GET /%zz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            String response = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            assertThat(response).startsWith("HTTP/1.1 400");
            assertThat(response).doesNotContainIgnoringCase("<html");
            assertThat(response).contains("\"error_code\"");
        }
    }

    @Test
    void aFailingStoreGivesJson5xxWithoutInternalsAndAFailingHealthCheck(@TempDir Path otherHome) {
        Database database = TestDatabases.sqlite(otherHome);
        try (CairnServer broken =
                CairnServer.start(ServerConfig.builder().home(otherHome).port(0).build(), database)) {
            HttpCalls calls = new HttpCalls(broken);
            database.close(); // the store goes away under a running server

            HttpCalls.Answer health = calls.get("/health");
            assertThat(health.status()).isEqualTo(503);
            assertThat(health.json().get("error_code").asText()).isEqualTo("TEMPORARILY_UNAVAILABLE");

            HttpCalls.Answer read = calls.get("/api/2.0/mlflow/experiments/get?experiment_id=0");
            assertThat(read.status()).isGreaterThanOrEqualTo(500);
            assertThat(read.contentType()).startsWith("application/json");
            assertThat(read.json().get("error_code").asText()).isNotBlank();
            assertThat(read.body()).doesNotContain("Exception", "\tat ", "<html");
        }
    }

    @Test
    void configRejectsAnOutOfRangePortNamingIt() {
        assertThatThrownBy(() -> ServerConfig.builder().port(70000).build())
                .isInstanceOf(CairnException.class)
                .hasMessageContaining("port")
                .hasMessageContaining("70000");
    }

    @Test
    void configDefaultsLiveUnderTheCairnHome() {
        ServerConfig config =
                ServerConfig.builder().home(Path.of("/data/cairn")).build();
        assertThat(config.host()).isEqualTo("127.0.0.1");
        assertThat(config.port()).isEqualTo(5000);
        assertThat(config.storeUrl()).isEqualTo("sqlite:///data/cairn/cairn.db");
        assertThat(config.artifactsRoot()).isEqualTo(Path.of("/data/cairn/artifacts"));
    }
}
