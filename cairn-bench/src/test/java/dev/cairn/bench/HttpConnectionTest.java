package dev.cairn.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class HttpConnectionTest {
    private HttpServer server;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        // /fixed answers with a Content-Length, /chunked with chunks (the JDK server's length 0)
        server.createContext("/", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            boolean chunked = exchange.getRequestURI().getPath().equals("/chunked");
            exchange.sendResponseHeaders(chunked ? 201 : 200, chunked ? 0 : body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    @Test
    void readsFixedLengthAndChunkedAnswersOnOneConnection() throws IOException {
        byte[] json = "{\"a\":[1,2,3]}".getBytes(StandardCharsets.UTF_8);
        try (HttpConnection connection =
                HttpConnection.open("127.0.0.1", server.getAddress().getPort())) {
            String host = "127.0.0.1:" + server.getAddress().getPort();
            for (int i = 0; i < 3; i++) {
                HttpConnection.Response fixed = connection.send(HttpConnection.jsonPost(host, "/fixed", json));
                assertThat(fixed.status()).isEqualTo(200);
                assertThat(fixed.text()).isEqualTo("{\"a\":[1,2,3]}");
                HttpConnection.Response chunked = connection.postJson("/chunked", json);
                assertThat(chunked.status()).isEqualTo(201);
                assertThat(chunked.text()).isEqualTo("{\"a\":[1,2,3]}");
                assertThat(connection.exchange(HttpConnection.jsonPost(host, "/chunked", json)))
                        .isEqualTo(201);
            }
        }
    }
}
