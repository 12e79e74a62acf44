package dev.cairn.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cairn.monitoring.Monitors;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Sends flights to the deployment's endpoint as Open Inference Protocol v2 requests, one flight per
 * request as live traffic arrives, and later sends their ground truth to {@code /api/v1/feedback}.
 */
final class Replay {
    private static final int BAR = 30;

    private final Rest rest;
    private final Flights.Encoder encoder;
    private final String runTag;
    private final PrintWriter out;

    /** What one batch of traffic got back: which versions answered how many flights, and the request ids. */
    record Served(int flights, Map<String, Integer> versions, List<String> requestIds, List<Boolean> delayed) {
        String describe() {
            return versions.entrySet().stream()
                    .map(e -> "version " + e.getKey() + ": " + e.getValue())
                    .collect(Collectors.joining(", "));
        }
    }

    Replay(Rest rest, Flights.Encoder encoder, String runTag, PrintWriter out) {
        this.rest = rest;
        this.encoder = encoder;
        this.runTag = runTag;
        this.out = out;
    }

    Served serve(String label, List<Flights.Flight> flights) {
        Map<String, Integer> versions = new TreeMap<>();
        List<String> ids = new ArrayList<>(flights.size());
        List<Boolean> delayed = new ArrayList<>(flights.size());
        int shown = 0;
        out.printf(Locale.ROOT, "      %s [", label);
        for (int i = 0; i < flights.size(); i++) {
            Flights.Flight f = flights.get(i);
            String id = runTag + "-" + label.replace(' ', '-') + "-" + i;
            JsonNode answer = rest.call("POST", "/v2/models/" + DemoStory.MODEL + "/infer", body(id, f));
            versions.merge(answer.path("model_version").asText(), 1, Integer::sum);
            ids.add(id);
            delayed.add(f.delayed());
            int filled = (i + 1) * BAR / flights.size();
            if (filled > shown) {
                out.print("#".repeat(filled - shown));
                out.flush();
                shown = filled;
            }
        }
        Served served = new Served(flights.size(), versions, ids, delayed);
        out.printf(Locale.ROOT, "] %d flights, answered by %s%n", flights.size(), served.describe());
        out.flush();
        return served;
    }

    /** The ground truth of {@code served}: whether each flight was delayed, keyed by its request id. */
    void sendFeedback(Served served) {
        for (int from = 0; from < served.flights(); from += Monitors.MAX_FEEDBACK_BATCH) {
            ObjectNode body = StepParts.object();
            ArrayNode labels = body.putArray("labels");
            for (int i = from; i < Math.min(served.flights(), from + Monitors.MAX_FEEDBACK_BATCH); i++) {
                labels.addObject()
                        .put("request_id", served.requestIds().get(i))
                        .put("label", served.delayed().get(i) ? "1" : "0");
            }
            rest.call("POST", "/api/v1/feedback", body);
        }
    }

    private ObjectNode body(String id, Flights.Flight flight) {
        ObjectNode body = StepParts.object().put("id", id);
        ArrayNode inputs = body.putArray("inputs");
        float[] x = encoder.features(flight);
        for (int c = 0; c < x.length; c++) {
            ObjectNode input =
                    inputs.addObject().put("name", Flights.Encoder.FEATURES[c]).put("datatype", "FP32");
            input.putArray("shape").add(1);
            input.putArray("data").add(x[c]);
        }
        return body;
    }
}
