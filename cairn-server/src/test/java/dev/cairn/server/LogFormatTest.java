package dev.cairn.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The server's own logging configuration, in a separate JVM: one structured line per request. */
class LogFormatTest {
    @TempDir
    Path home;

    @Test
    void jsonFormatWritesOneObjectPerRequestWithMethodPathStatusAndDuration() throws Exception {
        Path log = home.resolve("server.log");
        ProcessBuilder builder = new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m",
                // The test class path carries other modules' logback-test.xml; name the server's own.
                "-Dlogback.configurationFile=logback.xml",
                "-cp",
                System.getProperty("java.class.path"),
                ServerProcess.class.getName(),
                home.toString());
        builder.environment().put("CAIRN_LOG_FORMAT", "json");
        builder.redirectErrorStream(true).redirectOutput(log.toFile());
        Process server = builder.start();
        try {
            Path portFile = home.resolve("port");
            for (int i = 0; i < 600 && !Files.exists(portFile) && server.isAlive(); i++) {
                Thread.sleep(100);
            }
            HttpCalls http = new HttpCalls(
                    "http://127.0.0.1:" + Files.readString(portFile).trim());
            assertThat(http.get("/api/2.0/mlflow/experiments/get?experiment_id=0")
                            .status())
                    .isEqualTo(200);

            Optional<JsonNode> line = Optional.empty();
            for (int i = 0; i < 100 && line.isEmpty(); i++) {
                Thread.sleep(100);
                line = accessLine(Files.readAllLines(log), "/api/2.0/mlflow/experiments/get");
            }
            assertThat(line).as("access line in %s", log).isPresent();
            JsonNode entry = line.get();
            assertThat(entry.get("method").asText()).isEqualTo("GET");
            assertThat(entry.get("status").asInt()).isEqualTo(200);
            assertThat(entry.get("duration_ms").isNumber()).isTrue();
            assertThat(entry.get("level").asText()).isEqualTo("INFO");
        } finally {
            server.destroyForcibly();
            server.waitFor(30, TimeUnit.SECONDS);
        }
    }

    private static Optional<JsonNode> accessLine(List<String> lines, String path) {
        ObjectMapper json = new ObjectMapper();
        for (String line : lines) {
            if (!line.startsWith("{")) {
                continue;
            }
            try {
                JsonNode node = json.readTree(line);
                if (path.equals(node.path("path").asText())) {
                    return Optional.of(node);
                }
            } catch (java.io.IOException e) {
                // Not a JSON line: the assertion below reports the file if no line matches.
            }
        }
        return Optional.empty();
    }
}
