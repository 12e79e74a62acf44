package dev.cairn.server.artifacts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cairn.server.CairnServer;
import dev.cairn.server.HttpCalls;
import dev.cairn.server.ServerConfig;
import dev.cairn.server.TestServers;
import dev.cairn.store.TestDatabases;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The artifact endpoints over real HTTP, called exactly as MLflow's Python client
 * ({@code HttpArtifactRepository}) and UI call them; subclasses pick the database.
 */
abstract class ArtifactHttpContract {
    static final String PROXY = "/api/2.0/mlflow-artifacts/artifacts/";

    @TempDir
    Path home;

    CairnServer server;
    HttpCalls http;
    HttpClient client =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    String runId;
    String root;

    abstract TestDatabases.Kind kind();

    ServerConfig.Builder config() {
        return ServerConfig.builder().home(home).port(0);
    }

    @BeforeEach
    void start() {
        server = TestServers.start(kind(), config());
        http = new HttpCalls(server);
        runId = createRun("0");
        root = "0/" + runId + "/artifacts";
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void logArtifactThenDownloadIsByteIdentical() throws Exception {
        byte[] content = new byte[300_000];
        for (int i = 0; i < content.length; i++) {
            content[i] = (byte) (i * 7 + (i >> 9));
        }
        HttpResponse<String> put = put(root + "/model/weights.bin", HttpRequest.BodyPublishers.ofByteArray(content));
        assertThat(put.statusCode()).isEqualTo(200);
        assertThat(put.body()).isEqualTo("{}");

        HttpResponse<byte[]> got = client.send(
                HttpRequest.newBuilder(uri(PROXY + root + "/model/weights.bin")).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(got.statusCode()).isEqualTo(200);
        assertThat(got.body()).isEqualTo(content);
        assertThat(got.headers().firstValue("Content-Type")).hasValue("application/octet-stream");
        assertThat(got.headers().firstValue("Content-Length")).hasValue("300000");
    }

    @Test
    void logArtifactsOfANestedDirectoryListsLikeMlflow() throws Exception {
        put(root + "/metrics.json", text("{\"a\": 1}"));
        put(root + "/plots/loss%20curve.png", text("png!"));
        put(root + "/model/MLmodel", text("flavors: {}"));
        put(root + "/model/data/model.onnx", text("onnx"));

        assertThat(listProxy(root))
                .isEqualTo(json("{\"files\": ["
                        + "{\"path\": \"metrics.json\", \"is_dir\": false, \"file_size\": 8},"
                        + "{\"path\": \"model\", \"is_dir\": true},"
                        + "{\"path\": \"plots\", \"is_dir\": true}]}"));
        assertThat(listProxy(root + "/model"))
                .isEqualTo(json("{\"files\": ["
                        + "{\"path\": \"MLmodel\", \"is_dir\": false, \"file_size\": 11},"
                        + "{\"path\": \"data\", \"is_dir\": true}]}"));
        assertThat(listProxy(root + "/plots").get("files").get(0).get("path").asText())
                .isEqualTo("loss curve.png");
        assertThat(listProxy(root + "/nothing-here")).isEqualTo(json("{\"files\": []}"));
    }

    @Test
    void downloadsCarryTheContentTypeOfTheirExtension() throws Exception {
        put(root + "/metrics.json", text("{}"));
        put(root + "/model/MLmodel", text("flavors: {}"));
        put(root + "/notes.txt", text("hello"));

        assertThat(download(root + "/metrics.json").headers().firstValue("Content-Type"))
                .hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
        assertThat(download(root + "/model/MLmodel").headers().firstValue("Content-Type"))
                .hasValueSatisfying(t -> assertThat(t).startsWith("text/plain"));
        HttpResponse<String> notes = download(root + "/notes.txt");
        assertThat(notes.body()).isEqualTo("hello");
        assertThat(notes.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
    }

    @Test
    void artifactsListGivesPathsRelativeToTheRunRoot() {
        put(root + "/a.txt", text("aaa"));
        put(root + "/dir/b.txt", text("b"));

        JsonNode top =
                http.get("/api/2.0/mlflow/artifacts/list?run_id=" + runId).json();
        assertThat(top.get("root_uri").asText()).isEqualTo("mlflow-artifacts:/" + root);
        assertThat(top.get("files"))
                .isEqualTo(json("[{\"path\": \"a.txt\", \"is_dir\": false, \"file_size\": 3},"
                        + "{\"path\": \"dir\", \"is_dir\": true}]"));
        JsonNode dir = http.get("/api/2.0/mlflow/artifacts/list?run_uuid=" + runId + "&path=dir")
                .json();
        assertThat(dir.get("files"))
                .isEqualTo(json("[{\"path\": \"dir/b.txt\", \"is_dir\": false, \"file_size\": 1}]"));
        assertThat(dir.has("next_page_token")).isFalse();
        JsonNode posted = http.post(
                        "/api/2.0/mlflow/artifacts/list", "{\"run_id\": \"" + runId + "\", \"path\": \"dir\"}")
                .json();
        assertThat(posted.get("files")).isEqualTo(dir.get("files"));
    }

    @Test
    void getArtifactServesTheUiDownloadAsAnAttachment() throws Exception {
        put(root + "/dir/report.html", text("<h1>hi</h1>"));

        HttpResponse<String> got = client.send(
                HttpRequest.newBuilder(uri("/get-artifact?path=dir%2Freport.html&run_uuid=" + runId))
                        .build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(got.statusCode()).isEqualTo(200);
        assertThat(got.body()).isEqualTo("<h1>hi</h1>");
        assertThat(got.headers().firstValue("Content-Disposition"))
                .hasValueSatisfying(v -> assertThat(v).startsWith("attachment; filename=\"report.html\""));
        assertThat(got.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
        assertThat(http.get("/get-artifact?path=nope.txt&run_uuid=" + runId).status())
                .isEqualTo(404);
        assertThat(http.get("/get-artifact?path=dir&run_uuid=" + runId).status())
                .isEqualTo(404);
    }

    @Test
    void deleteRemovesAFileOrADirectorySubtree() throws Exception {
        put(root + "/keep.txt", text("k"));
        put(root + "/old/a.txt", text("a"));
        put(root + "/old/deeper/b.txt", text("b"));

        assertThat(delete(root + "/old").statusCode()).isEqualTo(200);
        assertThat(listProxy(root))
                .isEqualTo(json("{\"files\": [{\"path\": \"keep.txt\", \"is_dir\": false, \"file_size\": 1}]}"));
        assertThat(http.get(PROXY + root + "/old/a.txt").status()).isEqualTo(404);
        assertThat(delete(root + "/keep.txt").statusCode()).isEqualTo(200);
        assertThat(listProxy(root)).isEqualTo(json("{\"files\": []}"));
    }

    @Test
    void uploadsNeedAnExistingActiveRunOfThatExperiment() {
        HttpCalls.Answer unknown = answer(put("0/" + "f".repeat(32) + "/artifacts/x.txt", text("x")));
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.json().get("error_code").asText()).isEqualTo("RESOURCE_DOES_NOT_EXIST");

        String experiment = http.post("/api/2.0/mlflow/experiments/create", "{\"name\": \"other\"}")
                .json()
                .get("experiment_id")
                .asText();
        assertThat(put(experiment + "/" + runId + "/artifacts/x.txt", text("x")).statusCode())
                .as("a run is only reachable under its own experiment")
                .isEqualTo(404);

        http.post("/api/2.0/mlflow/runs/delete", "{\"run_id\": \"" + runId + "\"}");
        HttpCalls.Answer deleted = answer(put(root + "/x.txt", text("x")));
        assertThat(deleted.status()).isEqualTo(400);
        assertThat(deleted.json().get("error_code").asText()).isEqualTo("INVALID_STATE");
        assertThat(answer(put("0/" + runId + "/x.txt", text("x"))).status())
                .as("only the run's artifacts root is writable")
                .isEqualTo(400);
    }

    @Test
    void aCorruptedBlobIsNeverDeliveredWhole() throws Exception {
        put(root + "/data.bin", text("x".repeat(200_000)));
        Path blobs = home.resolve("artifacts/sha256");
        try (Stream<Path> files = Files.walk(blobs)) {
            Path blob = files.filter(Files::isRegularFile).findFirst().orElseThrow();
            Files.writeString(blob, "y" + "x".repeat(199_999));
        }

        assertThatThrownBy(() -> client.send(
                        HttpRequest.newBuilder(uri(PROXY + root + "/data.bin")).build(),
                        HttpResponse.BodyHandlers.ofByteArray()))
                .isInstanceOf(IOException.class);
    }

    @Test
    void aLargeUploadStreamsThroughAndDownloadsIdentically() throws Exception {
        long size = 128L << 20;
        MessageDigest sent = sha256();
        HttpResponse<String> put = client.send(
                HttpRequest.newBuilder(uri(PROXY + root + "/big/blob.bin"))
                        .PUT(HttpRequest.BodyPublishers.fromPublisher(
                                HttpRequest.BodyPublishers.ofInputStream(() -> new PatternStream(size, sent)), size))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(put.statusCode()).isEqualTo(200);

        HttpResponse<InputStream> got = client.send(
                HttpRequest.newBuilder(uri(PROXY + root + "/big/blob.bin")).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        MessageDigest received = sha256();
        long count = 0;
        try (InputStream in = got.body()) {
            byte[] buffer = new byte[1 << 16];
            int n;
            while ((n = in.read(buffer)) >= 0) {
                received.update(buffer, 0, n);
                count += n;
            }
        }
        assertThat(count).isEqualTo(size);
        assertThat(HexFormat.of().formatHex(received.digest()))
                .isEqualTo(HexFormat.of().formatHex(sent.digest()));
    }

    @Test
    void chunkedAndEmptyUploadsAreStoredAsSent() throws Exception {
        byte[] content = "streamed without a length".getBytes(StandardCharsets.UTF_8);
        HttpResponse<String> chunked = put(
                root + "/chunked.txt",
                HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(content)));
        assertThat(chunked.statusCode()).isEqualTo(200);
        assertThat(put(root + "/empty.txt", HttpRequest.BodyPublishers.noBody()).statusCode())
                .isEqualTo(200);

        assertThat(download(root + "/chunked.txt").body()).isEqualTo("streamed without a length");
        assertThat(download(root + "/empty.txt").body()).isEmpty();
        assertThat(listProxy(root).get("files").get(1))
                .isEqualTo(json("{\"path\": \"empty.txt\", \"is_dir\": false, \"file_size\": 0}"));
    }

    // ---- helpers shaped like the Python client

    String createRun(String experimentId) {
        return http.post("/api/2.0/mlflow/runs/create", "{\"experiment_id\": \"" + experimentId + "\"}")
                .json()
                .at("/run/info/run_id")
                .asText();
    }

    HttpResponse<String> put(String path, HttpRequest.BodyPublisher body) {
        return send(HttpRequest.newBuilder(uri(PROXY + path))
                .header("Content-Type", "application/octet-stream")
                .PUT(body));
    }

    HttpResponse<String> download(String path) {
        return send(HttpRequest.newBuilder(uri(PROXY + path)).GET());
    }

    HttpResponse<String> delete(String path) {
        return send(HttpRequest.newBuilder(uri(PROXY + path)).DELETE());
    }

    JsonNode listProxy(String path) {
        HttpCalls.Answer answer = http.get(
                "/api/2.0/mlflow-artifacts/artifacts?path=" + java.net.URLEncoder.encode(path, StandardCharsets.UTF_8));
        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        return answer.json();
    }

    HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return client.send(request.timeout(Duration.ofSeconds(120)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static HttpCalls.Answer answer(HttpResponse<String> response) {
        return new HttpCalls.Answer(
                response.statusCode(),
                response.body(),
                response.headers().firstValue("Content-Type").orElse(""));
    }

    URI uri(String pathAndQuery) {
        return URI.create(TestServers.baseUrl(server) + pathAndQuery);
    }

    static HttpRequest.BodyPublisher text(String s) {
        return HttpRequest.BodyPublishers.ofString(s);
    }

    static JsonNode json(String s) {
        return new HttpCalls.Answer(200, s, "application/json").json();
    }

    static MessageDigest sha256() throws NoSuchAlgorithmException {
        return MessageDigest.getInstance("SHA-256");
    }

    /** A deterministic stream of any length that hashes what it hands out. */
    static final class PatternStream extends InputStream {
        private final long size;
        private final MessageDigest digest;
        private long position;

        PatternStream(long size, MessageDigest digest) {
            this.size = size;
            this.digest = digest;
        }

        @Override
        public int read() {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (position >= size) {
                return -1;
            }
            int n = (int) Math.min(len, size - position);
            for (int i = 0; i < n; i++) {
                long p = position + i;
                b[off + i] = (byte) (p * 31 + (p >>> 13));
            }
            digest.update(b, off, n);
            position += n;
            return n;
        }
    }
}
