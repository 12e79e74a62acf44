package dev.cairn.server.inference;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonFactory;
import dev.cairn.models.GateFlavor;
import dev.cairn.serving.InferenceEngine;
import dev.cairn.serving.ServingConfig;
import io.javalin.Javalin;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A full model queue answers 503 with Retry-After over a real socket, and the server recovers. */
class OverloadHttpTest {
    @TempDir
    Path temp;

    @Test
    void aFullQueueIs503WithRetryAfterAndServingResumes() throws Exception {
        GateFlavor.gate = new CountDownLatch(1);
        GateFlavor.entered = new CountDownLatch(1);
        HttpClient client = HttpClient.newHttpClient();
        try (var engine =
                new InferenceEngine(ServingConfig.builder().maxQueue(1).build())) {
            engine.load("gate", "1", GateFlavor.write(temp.resolve("gate")));
            Javalin app = Javalin.create(
                            config -> new InferenceRoutes(engine, new JsonFactory(), 1 << 20).register(config.routes))
                    .start("127.0.0.1", 0);
            try {
                String base = "http://127.0.0.1:" + app.port();
                CompletableFuture<HttpResponse<String>> held =
                        client.sendAsync(infer(base, 1), HttpResponse.BodyHandlers.ofString());
                GateFlavor.entered.await();

                HttpResponse<String> refused = client.send(infer(base, 2), HttpResponse.BodyHandlers.ofString());
                assertThat(refused.statusCode()).isEqualTo(503);
                assertThat(refused.headers().firstValue("Retry-After")).contains("1");
                assertThat(refused.body()).contains("\"error\"").contains("requests in flight");

                HttpResponse<String> mlflow = client.send(
                        HttpRequest.newBuilder(URI.create(base + "/invocations"))
                                .header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString("{\"inputs\": {\"x\": [2.0]}}"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(mlflow.statusCode()).isEqualTo(503);
                assertThat(mlflow.headers().firstValue("Retry-After")).contains("1");
                assertThat(mlflow.body()).contains("TEMPORARILY_UNAVAILABLE");

                GateFlavor.gate.countDown();
                assertThat(held.get().statusCode()).isEqualTo(200);
                HttpResponse<String> after = client.send(infer(base, 3), HttpResponse.BodyHandlers.ofString());
                assertThat(after.statusCode()).isEqualTo(200);
                assertThat(after.body()).contains("\"data\":[6.0]");
            } finally {
                GateFlavor.gate.countDown();
                app.stop();
            }
        }
    }

    private static HttpRequest infer(String base, float x) {
        return HttpRequest.newBuilder(URI.create(base + "/v2/models/gate/infer"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(
                        "{\"inputs\":[{\"name\":\"x\",\"datatype\":\"FP32\",\"shape\":[1],\"data\":[" + x + "]}]}"))
                .build();
    }
}
