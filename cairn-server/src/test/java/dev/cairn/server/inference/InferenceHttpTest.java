package dev.cairn.server.inference;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cairn.models.FlightModels;
import dev.cairn.models.FlightsSample;
import dev.cairn.models.LoadedModel;
import dev.cairn.models.Models;
import dev.cairn.models.Tensor;
import dev.cairn.server.CairnServer;
import dev.cairn.server.HttpCalls;
import dev.cairn.server.HttpCalls.Answer;
import dev.cairn.server.ServerConfig;
import dev.cairn.server.TestServers;
import dev.cairn.store.TestDatabases;
import java.io.BufferedInputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every Open Inference Protocol and MLflow scoring endpoint over a real socket, good and bad input. */
class InferenceHttpTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final int ROWS = 3;

    @TempDir
    static Path temp;

    static FlightsSample sample;
    static CairnServer server;
    static HttpCalls http;
    static float[] xgbExpected;
    static float[] onnxExpected;

    @BeforeAll
    static void start() {
        sample = FlightsSample.load();
        Path xgb = temp.resolve("xgb");
        Path onnx = temp.resolve("onnx");
        FlightModels.saveXGBoost(sample, xgb);
        FlightModels.saveLogisticOnnx(sample, onnx);
        try (LoadedModel x = Models.load(xgb);
                LoadedModel o = Models.load(onnx)) {
            xgbExpected = (float[])
                    x.predict(FlightModels.columns(sample.test, ROWS)).get(0).data();
            onnxExpected = (float[]) o.predict(List.of(FlightModels.matrix(sample.test, ROWS, "input")))
                    .get(0)
                    .data();
        }
        server = TestServers.start(
                TestDatabases.Kind.SQLITE,
                ServerConfig.builder().home(temp.resolve("home")).port(0).maxJsonBodyBytes(64 * 1024));
        server.inference().load("flights", "1", xgb);
        server.inference().load("flights-onnx", "3", onnx);
        http = new HttpCalls(server);
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void healthAndServerMetadata() {
        assertThat(http.get("/v2/health/live").json().get("live").asBoolean()).isTrue();
        assertThat(http.get("/v2/health/ready").json().get("ready").asBoolean()).isTrue();
        JsonNode meta = http.get("/v2").json();
        assertThat(meta.get("name").asText()).isEqualTo("cairn");
        assertThat(meta.has("version")).isTrue();
        Answer ping = http.get("/ping");
        assertThat(ping.status()).isEqualTo(200);
        assertThat(http.get("/version").body()).isNotBlank();
    }

    @Test
    void modelMetadataAndReadiness() {
        JsonNode meta = http.get("/v2/models/flights").json();
        assertThat(meta.get("name").asText()).isEqualTo("flights");
        assertThat(meta.get("versions").toString()).isEqualTo("[\"1\"]");
        assertThat(meta.get("platform").asText()).isEqualTo("xgboost");
        assertThat(meta.get("inputs")).hasSize(6);
        assertThat(meta.get("inputs").get(2).toString())
                .isEqualTo("{\"name\":\"distance\",\"datatype\":\"FP32\",\"shape\":[-1]}");
        assertThat(meta.get("outputs").get(0).get("name").asText()).isEqualTo("probability");

        JsonNode versioned = http.get("/v2/models/flights-onnx/versions/3").json();
        assertThat(versioned.get("inputs").get(0).toString())
                .isEqualTo("{\"name\":\"input\",\"datatype\":\"FP32\",\"shape\":[-1,6]}");

        assertThat(http.get("/v2/models/flights/ready").json().get("ready").asBoolean())
                .isTrue();
        assertThat(http.get("/v2/models/flights-onnx/versions/3/ready").status())
                .isEqualTo(200);

        Answer unknown = http.get("/v2/models/trains");
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.json().get("error").asText()).contains("'trains'");
        assertThat(http.get("/v2/models/flights/versions/9").status()).isEqualTo(404);
        assertThat(http.get("/v2/models/flights/versions/9/ready").status()).isEqualTo(404);
        assertThat(http.get("/v2/models/trains/ready").status()).isEqualTo(404);
    }

    @Test
    void oipInferOnColumnsMatchesTheInProcessPrediction() throws Exception {
        var inputs = new ArrayList<Map<String, Object>>();
        for (Tensor column : FlightModels.columns(sample.test, ROWS)) {
            inputs.add(tensor(column.name(), "FP32", List.of(ROWS), column.data()));
        }
        Answer answer =
                http.post("/v2/models/flights/infer", JSON.writeValueAsString(Map.of("id", "r-1", "inputs", inputs)));
        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        JsonNode body = answer.json();
        assertThat(body.get("id").asText()).isEqualTo("r-1");
        assertThat(body.get("model_name").asText()).isEqualTo("flights");
        assertThat(body.get("model_version").asText()).isEqualTo("1");
        JsonNode out = body.get("outputs").get(0);
        assertThat(out.get("name").asText()).isEqualTo("probability");
        assertThat(out.get("datatype").asText()).isEqualTo("FP32");
        assertThat(out.get("shape").toString()).isEqualTo("[3]");
        assertThat(floats(out.get("data"))).containsExactly(xgbExpected);

        Answer versioned =
                http.post("/v2/models/flights/versions/1/infer", JSON.writeValueAsString(Map.of("inputs", inputs)));
        assertThat(floats(versioned.json().get("outputs").get(0).get("data"))).containsExactly(xgbExpected);
        assertThat(versioned.json().get("id").asText()).isNotEmpty();
    }

    @Test
    void pathsTheInferenceHandlerDoesNotReadAreAnsweredAlikeByTheRoutes() {
        String input = body("input", "FP32", "[1,6]", "[1,2,3,4,5,6]");
        Answer direct = http.post("/v2/models/flights-onnx/infer", input);
        assertThat(direct.status()).as(direct.body()).isEqualTo(200);
        // An escaped name and a trailing slash go through Javalin's router: same answer.
        for (String path : List.of(
                "/v2/models/flights%2Donnx/infer",
                "/v2/models/flights-onnx/infer/", "/v2/models/flights-onnx/versions/3/infer")) {
            Answer routed = http.post(path, input);
            assertThat(routed.status()).as(path + ": " + routed.body()).isEqualTo(200);
            assertThat(routed.json().get("outputs"))
                    .as(path)
                    .isEqualTo(direct.json().get("outputs"));
        }
        assertError(http.post("/v2/models/flights%2Donnx/versions/8/infer", input), 404, "no version '8'");
        // Paths with an empty or missing model or version are no route at all, as Javalin answers them.
        for (String path : List.of("/v2/models/infer", "/v2/models//infer", "/v2/models/x/versions//infer")) {
            Answer none = http.post(path, input);
            assertThat(none.status()).as(path + ": " + none.body()).isEqualTo(404);
            assertThat(none.body()).as(path).doesNotContain("Exception");
        }
        HttpCalls.Answer metrics = http.get("/metrics");
        assertThat(metrics.body())
                .contains(
                        "http_server_requests_seconds_count{method=\"POST\",route=\"/v2/models/{model}/infer\",status=\"200\"}");
    }

    @Test
    void oipInferTakesFlatAndNestedDataAndDataBeforeShape() throws Exception {
        float[] flat = (float[]) FlightModels.matrix(sample.test, ROWS, "input").data();
        var nested = new ArrayList<List<Float>>();
        for (int r = 0; r < ROWS; r++) {
            var row = new ArrayList<Float>();
            for (int c = 0; c < 6; c++) {
                row.add(flat[r * 6 + c]);
            }
            nested.add(row);
        }
        String flatBody =
                JSON.writeValueAsString(Map.of("inputs", List.of(tensor("input", "FP32", List.of(ROWS, 6), flat))));
        String nestedBody =
                JSON.writeValueAsString(Map.of("inputs", List.of(tensor("input", "FP32", List.of(ROWS, 6), nested))));
        String dataFirst = "{\"inputs\":[{\"data\":" + JSON.writeValueAsString(flat)
                + ",\"name\":\"input\",\"shape\":[3,6],\"datatype\":\"FP32\"}],\"outputs\":[{\"name\":\"output\"}]}";
        for (String body : List.of(flatBody, nestedBody, dataFirst)) {
            Answer answer = http.post("/v2/models/flights-onnx/infer", body);
            assertThat(answer.status()).as(answer.body()).isEqualTo(200);
            JsonNode out = answer.json().get("outputs").get(0);
            assertThat(out.get("shape").toString()).isEqualTo("[3,2]");
            assertThat(floats(out.get("data"))).containsExactly(onnxExpected);
        }
    }

    @Test
    void oipBadInputIsA400NamingTheProblem() throws Exception {
        String path = "/v2/models/flights-onnx/infer";
        assertError(http.post(path, "{\"inputs\": [ {\"name\": "), 400, "malformed JSON");
        assertError(http.post(path, "[1, 2]"), 400, "JSON object");
        assertError(http.post(path, "{}"), 400, "'inputs' is required");
        assertError(http.post(path, "{\"inputs\": {}}"), 400, "'inputs' must be an array");
        assertError(
                http.post(path, body("input", "FP32", "[1,6]", "[1,2,3,4,5,6]").replace("\"datatype\":\"FP32\",", "")),
                400,
                "'datatype' is required");
        assertError(http.post(path, body("input", "FLOAT", "[1,6]", "[1,2,3,4,5,6]")), 400, "unknown datatype 'FLOAT'");
        assertError(http.post(path, body("input", "FP32", "[1,6]", "[1,2,3]")), 400, "needs 6 elements but data has 3");
        assertError(
                http.post(path, body("input", "FP32", "[1,6]", "[1,2,3,4,5,6,7]")), 400, "more than the 6 elements");
        assertError(
                http.post(path, body("input", "FP32", "[1,6]", "[1,2,\"x\",4,5,6]")),
                400,
                "element 2 must be a number, got 'x'");
        assertError(http.post(path, body("input", "FP32", "[1,-6]", "[1]")), 400, "dimensions must be non-negative");
        assertError(
                http.post(path, body("input", "FP64", "[1,6]", "[1,2,3,4,5,6]")),
                400,
                "input 'input': expected FP32 [-1, 6], got FP64 [1, 6]");
        assertError(
                http.post(path, body("input", "FP32", "[2,3]", "[1,2,3,4,5,6]")),
                400,
                "input 'input': expected FP32 [-1, 6], got FP32 [2, 3]");
        assertError(
                http.post(path, body("features", "FP32", "[1,6]", "[1,2,3,4,5,6]")),
                400,
                "input 'features' is not an input of the model");
        assertError(
                http.post("/v2/models/flights/infer", body("distance", "FP32", "[1]", "[1]")),
                400,
                "input 'day_of_week' is missing");
        assertError(
                http.post(path, body("input", "INT8", "[1,6]", "[1,2,3,4,5,300]")),
                400,
                "300 is out of range for INT8");
        assertError(
                http.post("/v2/models/trains/infer", body("input", "FP32", "[1,6]", "[1,2,3,4,5,6]")),
                404,
                "model 'trains' is not served");
        assertError(
                http.post("/v2/models/flights-onnx/versions/8/infer", body("input", "FP32", "[1,6]", "[1,2,3,4,5,6]")),
                404,
                "no version '8'");
    }

    @Test
    void aRefusedRequestWhoseBodyArrivesLateKeepsItsConnectionUsable() throws Exception {
        // The unknown model is refused before the body is read; the body is sent only afterwards, as
        // clients that write headers and body separately do. The connection must still carry the
        // next request.
        String body = body("input", "FP32", "[1,6]", "[1,2,3,4,5,6]");
        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            InputStream in = new BufferedInputStream(socket.getInputStream());
            out.write(("POST /v2/models/trains/infer HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                            + "Content-Type: application/json\r\nContent-Length: " + body.length() + "\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            Thread.sleep(200);
            out.write(body.getBytes(StandardCharsets.ISO_8859_1));
            out.write("GET /v2/health/ready HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
            out.flush();

            String refused = HttpCalls.readResponseHead(in);
            assertThat(refused).startsWith("HTTP/1.1 404").doesNotContainIgnoringCase("connection: close");
            String next = HttpCalls.readResponseHead(in);
            assertThat(next).startsWith("HTTP/1.1 200");
        }
    }

    @Test
    void oversizedBodiesAre413() {
        String big = body("input", "FP32", "[1,6]", "[1,2,3,4,5,6]" + " ".repeat(70 * 1024));
        assertError(http.post("/v2/models/flights-onnx/infer", big), 413, "exceeds the limit");
        Answer mlflow = http.post("/invocations?model=flights", "{\"inputs\": [" + " ".repeat(70 * 1024) + "]}");
        assertThat(mlflow.status()).isEqualTo(413);
        assertThat(mlflow.json().get("error_code").asText()).isEqualTo("REQUEST_ENTITY_TOO_LARGE");
    }

    @Test
    void mlflowScoringAcceptsEveryFormatAndAnswersLikeMlflow() throws Exception {
        var columns = List.of(FlightsSample.FEATURES);
        var rows = new ArrayList<List<Float>>();
        var records = new ArrayList<Map<String, Float>>();
        var byColumn = new LinkedHashMap<String, List<Float>>();
        for (int r = 0; r < ROWS; r++) {
            float[] row = sample.test.row(r);
            var list = new ArrayList<Float>();
            var record = new LinkedHashMap<String, Float>();
            for (int c = 0; c < row.length; c++) {
                list.add(row[c]);
                record.put(columns.get(c), row[c]);
                byColumn.computeIfAbsent(columns.get(c), k -> new ArrayList<>()).add(row[c]);
            }
            record.put("carrier_ignored", 1f);
            rows.add(list);
            records.add(record);
        }
        var bodies = List.of(
                Map.of("dataframe_split", Map.of("columns", columns, "data", rows)),
                Map.of("dataframe_records", records),
                Map.of("instances", records),
                Map.of("inputs", byColumn));
        for (Object body : bodies) {
            Answer answer = http.post("/invocations?model=flights", JSON.writeValueAsString(body));
            assertThat(answer.status()).as(answer.body()).isEqualTo(200);
            assertThat(floats(answer.json().get("predictions"))).containsExactly(xgbExpected);
        }
        var csv = new StringBuilder(String.join(",", columns)).append('\n');
        for (List<Float> row : rows) {
            csv.append(String.join(",", row.stream().map(String::valueOf).toList()))
                    .append('\n');
        }
        Answer answer =
                http.send(HttpRequest.newBuilder(URI.create(TestServers.baseUrl(server) + "/invocations?model=flights"))
                        .header("Content-Type", "text/csv")
                        .POST(HttpRequest.BodyPublishers.ofString(csv.toString())));
        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        assertThat(floats(answer.json().get("predictions"))).containsExactly(xgbExpected);

        Answer matrix =
                http.post("/invocations?model=flights-onnx", JSON.writeValueAsString(Map.of("instances", rows)));
        assertThat(matrix.status()).as(matrix.body()).isEqualTo(200);
        JsonNode predictions = matrix.json().get("predictions");
        assertThat(predictions).hasSize(ROWS);
        assertThat(predictions.get(0)).hasSize(2);
        assertThat((float) predictions.get(1).get(1).asDouble()).isEqualTo(onnxExpected[3]);
    }

    @Test
    void mlflowScoringBadInputIsA400NamingTheColumn() throws Exception {
        Answer missing = http.post(
                "/invocations?model=flights",
                "{\"dataframe_split\": {\"columns\": [\"distance\"], \"data\": [[1.0]]}}");
        assertThat(missing.status()).isEqualTo(400);
        assertThat(missing.json().get("error_code").asText()).isEqualTo("INVALID_PARAMETER_VALUE");
        assertThat(missing.json().get("message").asText())
                .contains("column 'day_of_week' is missing")
                .contains("FP32");

        Answer wrongType = http.post(
                "/invocations?model=flights",
                "{\"dataframe_records\": [{\"day_of_week\": 1, \"dest_rate\": 0.2, \"distance\": \"far\","
                        + " \"hour\": 1, \"month\": 1, \"origin_rate\": 0.2}]}");
        assertThat(wrongType.status()).isEqualTo(400);
        assertThat(wrongType.json().get("message").asText())
                .contains("column 'distance': expected FP32 values, got 'far'");

        Answer shortRecord = http.post("/invocations?model=flights", "{\"dataframe_records\": [{\"distance\": 1}]}");
        assertThat(shortRecord.json().get("message").asText()).contains("no value for column 'day_of_week'");

        Answer none = http.post("/invocations?model=flights", "{\"rows\": []}");
        assertThat(none.json().get("message").asText()).contains("dataframe_split");

        Answer malformed = http.post("/invocations?model=flights", "{\"instances\": [{\"distance\": 1.0,");
        assertThat(malformed.status()).isEqualTo(400);
        assertThat(malformed.json().get("error_code").asText()).isEqualTo("MALFORMED_REQUEST");

        Answer ambiguous = http.post("/invocations", "{\"instances\": []}");
        assertThat(ambiguous.status()).isEqualTo(400);
        assertThat(ambiguous.json().get("message").asText()).contains("several models are served");

        Answer unknown = http.post("/invocations?model=trains", "{\"instances\": []}");
        assertThat(unknown.status()).isEqualTo(404);

        Answer xml =
                http.send(HttpRequest.newBuilder(URI.create(TestServers.baseUrl(server) + "/invocations?model=flights"))
                        .header("Content-Type", "application/xml")
                        .POST(HttpRequest.BodyPublishers.ofString("<rows/>")));
        assertThat(xml.status()).isEqualTo(415);

        Answer badCsv =
                http.send(HttpRequest.newBuilder(URI.create(TestServers.baseUrl(server) + "/invocations?model=flights"))
                        .header("Content-Type", "text/csv")
                        .POST(HttpRequest.BodyPublishers.ofString(
                                String.join(",", FlightsSample.FEATURES) + "\n1,2,x,4,5,6\n")));
        assertThat(badCsv.status()).isEqualTo(400);
        assertThat(badCsv.json().get("message").asText())
                .contains("column 'distance'")
                .contains("'x'");
    }

    static void assertError(Answer answer, int status, String message) {
        assertThat(answer.status()).as(answer.body()).isEqualTo(status);
        assertThat(answer.contentType()).startsWith("application/json");
        assertThat(answer.json().get("error").asText()).contains(message);
    }

    static String body(String name, String datatype, String shape, String data) {
        return "{\"inputs\":[{\"name\":\"" + name + "\",\"datatype\":\"" + datatype + "\",\"shape\":" + shape
                + ",\"data\":" + data + "}]}";
    }

    static Map<String, Object> tensor(String name, String datatype, List<Integer> shape, Object data) {
        var tensor = new LinkedHashMap<String, Object>();
        tensor.put("name", name);
        tensor.put("datatype", datatype);
        tensor.put("shape", shape);
        tensor.put("data", data);
        return tensor;
    }

    static float[] floats(JsonNode array) {
        var values = new ArrayList<Float>();
        collect(array, values);
        float[] out = new float[values.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = values.get(i);
        }
        return out;
    }

    private static void collect(JsonNode node, List<Float> values) {
        if (node.isArray()) {
            node.forEach(child -> collect(child, values));
        } else {
            values.add((float) node.asDouble());
        }
    }
}
