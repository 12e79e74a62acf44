package dev.cairn.monitoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.cairn.core.CairnException;
import dev.cairn.models.Tensor;
import dev.cairn.monitoring.alerts.Alert;
import dev.cairn.monitoring.alerts.WebhookConfig;
import dev.cairn.monitoring.alerts.WebhookDelivery;
import dev.cairn.monitoring.alerts.WebhookNotifier;
import dev.cairn.serving.InferenceLog;
import dev.cairn.serving.InferenceRecord;
import dev.cairn.serving.ServingConfig;
import dev.cairn.store.Database;
import dev.cairn.store.TestDatabases;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class MonitorsTest {
    static final String SECRET = "a-webhook-secret-of-enough-length";
    static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    static final Duration HOUR = Duration.ofHours(1);

    @TempDir
    Path dir;

    record Flight(String date, double delay, double distance, String origin) {}

    static List<Flight> flights() throws IOException {
        List<String> lines = Files.readAllLines(Path.of("../examples/data/flights-sample-6k.csv"));
        List<Flight> out = new ArrayList<>();
        for (String line : lines.subList(1, lines.size())) {
            String[] f = line.split(",");
            out.add(new Flight(f[0], Double.parseDouble(f[1]), Double.parseDouble(f[2]), f[3]));
        }
        return out;
    }

    @ParameterizedTest
    @EnumSource(TestDatabases.Kind.class)
    void driftFiresOnceThenResolvesWithSignedWebhooksAndFeedbackScoresWindows(TestDatabases.Kind kind)
            throws Exception {
        List<Flight> flights = flights();
        List<Flight> january =
                flights.stream().filter(f -> f.date().startsWith("2001-01")).toList();
        List<Flight> june =
                flights.stream().filter(f -> f.date().startsWith("2001-06")).toList();
        Path reference = dir.resolve("reference.csv");
        StringBuilder csv = new StringBuilder("delay,distance,origin\n");
        List<Flight> current = new ArrayList<>();
        for (int i = 0; i < january.size(); i++) {
            Flight f = january.get(i);
            if (i % 2 == 0) {
                csv.append((long) f.delay())
                        .append(',')
                        .append((long) f.distance())
                        .append(',')
                        .append(f.origin())
                        .append('\n');
            } else {
                current.add(f);
            }
        }
        Files.writeString(reference, csv);
        List<String> received = new CopyOnWriteArrayList<>();
        List<String> signatures = new CopyOnWriteArrayList<>();
        HttpServer receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/hook", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            signatures.add(exchange.getRequestHeaders().getFirst(WebhookNotifier.SIGNATURE_HEADER) + " "
                    + WebhookNotifier.signature(SECRET, body));
            received.add(new String(body, java.nio.charset.StandardCharsets.UTF_8));
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        receiver.start();
        WebhookConfig webhooks =
                WebhookConfig.of(SECRET, Set.of("127.0.0.1")).withAllowedPrivateAddresses(Set.of("127.0.0.1"));
        try (Database db = kind.open();
                Monitors monitors = Monitors.open(db, webhooks, List.of())) {
            try (InferenceLog log = InferenceLog.open(db, ServingConfig.defaults())) {
                write(log, "w1-", current, T0, 0, 1);
                write(log, "w2-", june, T0.plus(HOUR), 60, 1.5);
                write(log, "w3-", current, T0.plus(HOUR.multipliedBy(2)), 0, 1);
                log.flush(30_000);
                assertThat(log.written()).isEqualTo(2L * current.size() + june.size());
            }
            String hook = "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook";
            ObjectMapper json = new ObjectMapper();
            JsonNode spec = json.readTree("""
                    {"name": "delays-drift", "deployment": "delays", "reference": "%s",
                     "features": ["delay", "distance", "origin"], "window_seconds": 3600, "slice_by": "origin",
                     "business_metrics": {"cost": "50*fn + 10*fp"},
                     "rules": [{"name": "drift", "kind": "drift_share_above", "threshold": 0.5}],
                     "webhooks": ["%s"]}
                    """.formatted(reference.toString().replace("\\", "\\\\"), hook));
            monitors.create(MonitorSpec.fromJson(spec));

            // Ground truth for the first window: delayed (label 1) when the delay exceeds 15 minutes.
            List<FeedbackLabel> labels = new ArrayList<>();
            long correct = 0;
            for (int i = 0; i < current.size(); i++) {
                labels.add(new FeedbackLabel("w1-" + i, current.get(i).delay() > 15 ? "1" : "0"));
                boolean predicted = score(current.get(i)) >= 0.5;
                correct += predicted == current.get(i).delay() > 15 ? 1 : 0;
            }
            labels.add(new FeedbackLabel("nobody", "1"));
            FeedbackOutcome outcome = monitors.feedback(labels);
            assertThat(outcome.accepted()).isEqualTo(current.size());
            assertThat(outcome.unknown()).containsExactly("nobody");
            assertThat(monitors.feedback(labels.subList(0, 3)).duplicates()).isEqualTo(3);

            MonitorResult empty = monitors.run("delays-drift", T0);
            assertThat(empty.status()).isEqualTo(MonitorResult.NO_DATA);
            MonitorResult w1 = monitors.run("delays-drift", T0.plus(HOUR));
            MonitorResult w2 = monitors.run("delays-drift", T0.plus(HOUR.multipliedBy(2)));
            MonitorResult w3 = monitors.run("delays-drift", T0.plus(HOUR.multipliedBy(3)));
            MonitorResult w4 = monitors.run("delays-drift", T0.plus(HOUR.multipliedBy(3)));

            assertThat(w1.rowCount()).isEqualTo(current.size());
            assertThat(w1.driftShare()).isLessThanOrEqualTo(0.5);
            assertThat(w2.driftShare()).isEqualTo(1.0);
            assertThat(w2.datasetDrift()).isTrue();
            assertThat(w3.driftShare()).isLessThanOrEqualTo(0.5);
            assertThat(w4.rowCount()).isEqualTo(w3.rowCount());
            assertThat(w1.labeledCount()).isEqualTo(current.size());
            assertThat(w1.metric("accuracy").getAsDouble()).isEqualTo((double) correct / current.size());
            assertThat(w1.metrics().path("slices").size()).isGreaterThan(1);
            JsonNode confusion = w1.metrics().path("confusion");
            assertThat(w1.businessMetric("cost").getAsDouble())
                    .isEqualTo(50.0 * confusion.path("fn").asLong()
                            + 10.0 * confusion.path("fp").asLong());
            assertThat(w2.labeledCount()).isZero();

            List<MonitorResult> series = monitors.results("delays-drift", 100);
            assertThat(series).hasSize(4); // the repeated window replaced its first result
            assertThat(series.get(0).status()).isEqualTo(MonitorResult.NO_DATA);

            List<Alert> alerts = monitors.alerts("delays-drift");
            assertThat(alerts).hasSize(1);
            assertThat(alerts.get(0).state()).isEqualTo(Alert.State.RESOLVED);
            assertThat(alerts.get(0).resolvedAt()).contains(T0.plus(HOUR.multipliedBy(3)));

            List<WebhookDelivery> sent = new ArrayList<>();
            for (var d : monitors.deliveries()) {
                sent.addAll(d.get(60, TimeUnit.SECONDS));
            }
            assertThat(sent).allMatch(WebhookDelivery::delivered);
            assertThat(received).hasSize(2);
            assertThat(json.readTree(received.get(0)).path("state").asText()).isEqualTo("firing");
            assertThat(json.readTree(received.get(1)).path("state").asText()).isEqualTo("resolved");
            for (String s : signatures) {
                String[] pair = s.split(" ");
                assertThat(pair[0]).isEqualTo(pair[1]).startsWith("sha256=");
            }

            assertThatThrownBy(() -> monitors.run("nope", T0))
                    .isInstanceOf(CairnException.class)
                    .hasMessageContaining("'nope'");
            assertThatThrownBy(() -> monitors.create(MonitorSpec.fromJson(spec)))
                    .hasMessageContaining("already exists");
        } finally {
            receiver.stop(0);
        }
    }

    static double score(Flight f) {
        return f.distance() > 800 ? 0.7 : 0.2;
    }

    static void write(
            InferenceLog log,
            String prefix,
            List<Flight> rows,
            Instant start,
            double delayShift,
            double distanceFactor) {
        for (int i = 0; i < rows.size(); i++) {
            Flight f = rows.get(i);
            log.accept(new InferenceRecord(
                    prefix + i,
                    "delays",
                    "delays",
                    "1",
                    start.plusSeconds(i % 3000),
                    100,
                    "OK",
                    List.of(
                            Tensor.ofDoubles("delay", new double[] {f.delay() + delayShift}, 1),
                            Tensor.ofDoubles("distance", new double[] {f.distance() * distanceFactor}, 1),
                            Tensor.ofStrings("origin", new String[] {f.origin()}, 1)),
                    List.of(Tensor.ofDoubles("p", new double[] {score(f)}, 1)),
                    ""));
        }
    }
}
