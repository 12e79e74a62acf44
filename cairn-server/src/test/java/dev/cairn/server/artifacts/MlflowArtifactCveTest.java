package dev.cairn.server.artifacts;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.server.CairnServer;
import dev.cairn.server.HttpCalls;
import dev.cairn.server.TestServers;
import dev.cairn.store.TestDatabases;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * MLflow's artifact path CVEs replayed over real HTTP against a running Cairn server. Each test
 * first shows that a naive server (joining the client's path onto its artifact directory, as the
 * vulnerable MLflow versions did) would reach the secret placed outside that directory, then shows
 * that Cairn answers 400 {@code INVALID_PARAMETER_VALUE}, and that the secret is neither read,
 * overwritten nor deleted.
 */
class MlflowArtifactCveTest {
    private static final String SECRET = "top-secret-credentials";

    @TempDir
    Path home;

    private CairnServer server;
    private HttpCalls http;
    private Path artifactsRoot;
    private Path secret;
    private Path secretDir;
    private String runId;
    private String root;

    @BeforeEach
    void start() throws IOException {
        server = TestServers.start(TestDatabases.Kind.SQLITE, home);
        http = new HttpCalls(server);
        artifactsRoot = home.resolve("artifacts");
        secret = home.resolve("secret.txt");
        Files.writeString(secret, SECRET);
        secretDir = home.resolve("precious");
        Files.createDirectories(secretDir);
        Files.writeString(secretDir.resolve("model.pkl"), "weights");
        runId = http.post("/api/2.0/mlflow/runs/create", "{\"experiment_id\": \"0\"}")
                .json()
                .at("/run/info/run_id")
                .asText();
        root = "0/" + runId + "/artifacts";
        assertThat(http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(TestServers.baseUrl(server)
                                        + "/api/2.0/mlflow-artifacts/artifacts/" + root + "/ok.txt"))
                                .PUT(java.net.http.HttpRequest.BodyPublishers.ofString("fine")))
                        .status())
                .isEqualTo(200);
    }

    @AfterEach
    void stop() throws IOException {
        server.close();
        assertThat(secret)
                .as("the secret outside the artifact root is untouched")
                .hasContent(SECRET);
        assertThat(secretDir.resolve("model.pkl"))
                .as("the directory outside the root survives")
                .exists();
    }

    /**
     * CVE-2023-1177: reading any file of the server through the artifact proxy and
     * {@code get-artifact}, because the path check was never applied to the client's path.
     */
    @Test
    void cve2023_1177_artifactProxyAndGetArtifactTraversal() {
        String attack = root + "/../../../../secret.txt";
        assertNaiveServerReachesSecret(attack);

        assertRejected(raw("GET", "/api/2.0/mlflow-artifacts/artifacts/" + attack));
        assertRejected(
                raw("GET", "/api/2.0/mlflow-artifacts/artifacts/" + root + "/%2e%2e/%2e%2e/%2e%2e/%2e%2e/secret.txt"));
        assertRejected(raw("PUT", "/api/2.0/mlflow-artifacts/artifacts/" + attack));
        assertRejected(raw("GET", "/get-artifact?path=..%2F..%2F..%2F..%2Fsecret.txt&run_uuid=" + runId));
        assertRejected(raw("GET", "/get-artifact?path=%2Fetc%2Fpasswd&run_uuid=" + runId));
        assertRejected(raw("GET", "/get-artifact?path=file%3A%2F%2F%2Fetc%2Fpasswd&run_uuid=" + runId));
    }

    /** CVE-2023-30172: {@code /get-artifact?path=../../...} read files outside the run's artifacts. */
    @Test
    void cve2023_30172_getArtifactPathParameterTraversal() {
        assertNaiveServerReachesSecret(root + "/" + "../../../../secret.txt");

        for (String path : new String[] {
            "../../../../secret.txt",
            "a/../../../../../secret.txt",
            "..\\..\\..\\..\\secret.txt",
            "%2e%2e/%2e%2e/%2e%2e/%2e%2e/secret.txt"
        }) {
            assertRejected(raw("GET", "/get-artifact?path=" + queryEncode(path) + "&run_uuid=" + runId));
            assertRejected(raw("GET", "/api/2.0/mlflow/artifacts/list?run_id=" + runId + "&path=" + queryEncode(path)));
        }
    }

    /**
     * CVE-2024-1483: an experiment's {@code artifact_location} with {@code #} (or {@code ?}) hides
     * traversal from the URL parser, and artifact reads then follow it. Cairn refuses any location a
     * client gives: a run's artifacts live under its server-generated root, and fragment or query
     * characters in artifact paths are rejected.
     */
    @Test
    void cve2024_1483_fragmentInArtifactLocation() {
        assertNaiveServerReachesSecret(root + "/ok.txt/../../../../../secret.txt");

        HttpCalls.Answer created = http.post(
                "/api/2.0/mlflow/experiments/create",
                "{\"name\": \"evil\", \"artifact_location\": \"file:///" + home + "#/../../\"}");
        assertThat(created.status()).isEqualTo(400);
        assertThat(created.json().path("error_code").asText()).isEqualTo("INVALID_PARAMETER_VALUE");
        assertThat(created.json().path("message").asText()).contains("assigned by the server");
        assertRejected(raw("GET", "/get-artifact?path=ok.txt%23%2F..%2F..%2F..%2Fsecret.txt&run_uuid=" + runId));
        assertRejected(raw("GET", "/get-artifact?path=ok.txt%3F%2F..%2F..%2Fsecret.txt&run_uuid=" + runId));
        assertRejected(raw("GET", "/api/2.0/mlflow-artifacts/artifacts/" + root + "/x%23/../../../../secret.txt"));
    }

    /**
     * CVE-2024-1560: deleting arbitrary directories through the artifact proxy's DELETE, by a path
     * that passes a check after one decoding and traverses after a second one.
     */
    @Test
    void cve2024_1560_doubleEncodedTraversalInDelete() {
        String doubleEncoded = root + "/%252e%252e/%252e%252e/%252e%252e/%252e%252e/precious";
        assertNaiveServerReachesSecret(
                URLDecoder.decode(URLDecoder.decode(doubleEncoded, StandardCharsets.UTF_8), StandardCharsets.UTF_8));

        assertRejected(raw("DELETE", "/api/2.0/mlflow-artifacts/artifacts/" + doubleEncoded));
        assertRejected(
                raw("DELETE", "/api/2.0/mlflow-artifacts/artifacts/" + root + "/%2e%2e/%2e%2e/%2e%2e/%2e%2e/precious"));
        assertRejected(raw("DELETE", "/api/2.0/mlflow-artifacts/artifacts/" + root + "/..%2f..%2f..%2f..%2fprecious"));
        assertRefusedByHttpLayer(
                raw("DELETE", "/api/2.0/mlflow-artifacts/artifacts/" + root + "/..;/..;/..;/..;/precious"));
        assertThat(http.get("/api/2.0/mlflow-artifacts/artifacts/" + root + "/ok.txt")
                        .body())
                .as("the run's own artifacts are intact")
                .isEqualTo("fine");
    }

    /**
     * CVE-2024-3848: a {@code #} in an artifact URI put the traversal into the fragment, which the
     * check skipped while the file system used it.
     */
    @Test
    void cve2024_3848_fragmentInArtifactUri() {
        assertNaiveServerReachesSecret(root + "/x#/../../../../../secret.txt".replace("#", ""));

        assertRejected(raw("GET", "/api/2.0/mlflow-artifacts/artifacts/" + root + "/x%23/..%2f..%2f..%2fsecret.txt"));
        assertRejected(raw("PUT", "/api/2.0/mlflow-artifacts/artifacts/" + root + "/a%23b.txt"));
        assertRejected(raw("GET", "/api/2.0/mlflow-artifacts/artifacts?path=" + queryEncode(root + "#/../../..")));
        assertRejected(
                raw("GET", "/api/2.0/mlflow/artifacts/list?run_id=" + runId + "&path=" + queryEncode("x#/../..")));
        assertRejected(
                raw("GET", "/get-artifact?path=" + queryEncode("ok.txt#/../../../secret.txt") + "&run_uuid=" + runId));
    }

    /** Leftover shapes from the same family: absolute, drive, UNC, NUL, semicolon and control characters. */
    @Test
    void otherEscapeShapesAreRejectedToo() {
        for (String path : new String[] {
            "/etc/passwd", "C:\\Windows\\win.ini", "\\\\server\\share", "a;b", "a\u0000b", "a\nb", "%252e%252e"
        }) {
            assertRejected(raw("GET", "/api/2.0/mlflow/artifacts/list?run_id=" + runId + "&path=" + queryEncode(path)));
        }
        assertRefusedByHttpLayer(raw("PUT", "/api/2.0/mlflow-artifacts/artifacts/" + root + "/a%00b"));
        assertRejected(raw("PUT", "/api/2.0/mlflow-artifacts/artifacts/" + root + "/a%5cb"));
    }

    /** What the vulnerable servers did: join the client's (decoded) path onto the artifact directory. */
    private void assertNaiveServerReachesSecret(String decodedPath) {
        Path naive = artifactsRoot.resolve(decodedPath.replace('\\', '/')).normalize();
        assertThat(naive.startsWith(artifactsRoot))
                .as("a naive server would leave the artifact root with %s", decodedPath)
                .isFalse();
        assertThat(Files.exists(naive)).as("and reach %s", naive).isTrue();
    }

    /**
     * The attack is refused with 400 (Cairn's INVALID_PARAMETER_VALUE, or the HTTP layer's own 400 for
     * a request line it will not route), and nothing of the secret comes back.
     */
    private static void assertRejected(RawHttp.Reply reply) {
        assertThat(reply.status()).as(reply.head() + "\n" + reply.body()).isEqualTo(400);
        assertThat(reply.body()).doesNotContain(SECRET).contains("\"error_code\": \"INVALID_PARAMETER_VALUE\"");
    }

    /** Request lines that Jetty itself refuses (path parameters, encoded NUL) before any route sees them. */
    private static void assertRefusedByHttpLayer(RawHttp.Reply reply) {
        assertThat(reply.status()).as(reply.head() + "\n" + reply.body()).isEqualTo(400);
        assertThat(reply.body()).doesNotContain(SECRET);
    }

    private RawHttp.Reply raw(String method, String target) {
        return RawHttp.send(server.port(), method, target, "pwned");
    }

    private static String queryEncode(String s) {
        return java.net.URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
