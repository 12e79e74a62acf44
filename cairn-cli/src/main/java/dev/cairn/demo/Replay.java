package dev.cairn.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cairn.core.CairnException;
import dev.cairn.core.ErrorCode;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** Sends flights to the serving endpoint as Open Inference Protocol v2 requests, one batch at a time. */
final class Replay {
    static final int BATCH = 100;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final URI endpoint;
    private final PrintWriter out;

    /** What one month of traffic got back. */
    record Served(int flights, int requests, double accuracy, double auc, Set<String> versions) {}

    Replay(String url, String model, PrintWriter out) {
        this.endpoint = URI.create(url + "/v2/models/" + model + "/infer");
        this.out = out;
    }

    Served serve(int month, List<Flights.Flight> flights, Flights.Encoder encoder) {
        float[] scores = new float[flights.size()];
        Set<String> versions = new TreeSet<>();
        int requests = 0;
        out.printf(Locale.ROOT, "      month %d |", month);
        for (int from = 0; from < flights.size(); from += BATCH) {
            List<Flights.Flight> batch = flights.subList(from, Math.min(flights.size(), from + BATCH));
            JsonNode answer = post(body(month + "-" + from, encoder.features(batch), batch.size()));
            versions.add(answer.path("model_version").asText());
            JsonNode data = answer.path("outputs").path(0).path("data");
            for (int i = 0; i < batch.size(); i++) {
                scores[from + i] = (float) data.path(i).asDouble();
            }
            requests++;
            out.print('#');
            out.flush();
        }
        float[] labels = Flights.Encoder.labels(flights);
        Served served = new Served(
                flights.size(),
                requests,
                DelayModel.accuracy(scores, labels),
                DelayModel.auc(scores, labels),
                versions);
        out.printf(
                Locale.ROOT,
                "| %d flights in %d requests, answered by version %s: accuracy %.4f, AUC %.4f%n",
                served.flights(),
                served.requests(),
                String.join(",", versions),
                served.accuracy(),
                served.auc());
        out.flush();
        return served;
    }

    private static String body(String id, float[] features, int rows) {
        int width = Flights.Encoder.FEATURES.length;
        List<Map<String, Object>> inputs = new ArrayList<>();
        for (int c = 0; c < width; c++) {
            float[] column = new float[rows];
            for (int r = 0; r < rows; r++) {
                column[r] = features[r * width + c];
            }
            inputs.add(Map.of(
                    "name", Flights.Encoder.FEATURES[c], "shape", List.of(rows), "datatype", "FP32", "data", column));
        }
        try {
            return JSON.writeValueAsString(Map.of("id", "replay-" + id, "inputs", inputs));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private JsonNode post(String body) {
        HttpRequest request = HttpRequest.newBuilder(endpoint)
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new CairnException(
                        ErrorCode.INTERNAL_ERROR,
                        "serving endpoint " + endpoint + " answered " + response.statusCode() + ": " + response.body());
            }
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot reach " + endpoint, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CairnException(ErrorCode.INTERNAL_ERROR, "interrupted while replaying traffic", e);
        }
    }
}
