package dev.cairn.monitoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cairn.core.CairnException;
import dev.cairn.models.Tensor;
import dev.cairn.monitoring.alerts.Alert;
import dev.cairn.serving.InferenceLog;
import dev.cairn.serving.InferenceRecord;
import dev.cairn.serving.ServingConfig;
import dev.cairn.store.Database;
import dev.cairn.store.TestDatabases;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MonitorRulesTest {
    static final Instant T0 = MonitorsTest.T0;

    @TempDir
    Path root;

    @Test
    void metricBelowForNWindowsAndBusinessMetricAboveFireOnSchedule() throws Exception {
        List<String> lines = Files.readAllLines(Path.of("../examples/data/flights-sample-6k.csv"));
        Path reference = root.resolve("reference.csv");
        Files.write(reference, lines.subList(0, 501));
        try (Database db = TestDatabases.sqlite(Files.createDirectories(root.resolve("store")));
                Monitors monitors = Monitors.open(db)) {
            List<FeedbackLabel> labels = new ArrayList<>();
            try (InferenceLog log = InferenceLog.open(db, ServingConfig.defaults())) {
                for (int w = 0; w < 3; w++) {
                    for (int i = 0; i < 100; i++) {
                        String[] f = lines.get(1 + w * 100 + i).split(",");
                        boolean delayed = Double.parseDouble(f[1]) > 15;
                        // Window 0 predicts right; windows 1 and 2 predict every delay as on time.
                        double p = w == 0 ? (delayed ? 0.9 : 0.1) : 0.1;
                        String id = "w" + w + "-" + i;
                        log.accept(new InferenceRecord(
                                id,
                                "delays",
                                "delays",
                                "1",
                                T0.plusSeconds(3600L * w + i),
                                10,
                                "OK",
                                List.of(Tensor.ofDoubles(
                                        "features",
                                        new double[] {Double.parseDouble(f[1]), Double.parseDouble(f[2])},
                                        1,
                                        2)),
                                List.of(Tensor.ofDoubles("p", new double[] {p}, 1)),
                                ""));
                        labels.add(new FeedbackLabel(id, delayed ? "true" : "false"));
                    }
                }
                log.accept(new InferenceRecord(
                        "failed", "delays", "delays", "1", T0, 10, "INTERNAL_ERROR", List.of(), List.of(), "boom"));
                log.flush(30_000);
            }
            assertThat(monitors.feedback(labels).accepted()).isEqualTo(300);
            monitors.create(MonitorSpec.fromJson(new ObjectMapper().readTree("""
                    {"name": "perf", "deployment": "delays", "reference": "%s", "features": ["delay", "distance"],
                     "window_seconds": 3600, "schedule_seconds": 3600,
                     "business_metrics": {"cost": "50*fn + 10*fp"},
                     "rules": [{"name": "acc", "kind": "metric_below", "metric": "accuracy", "threshold": 0.9, "windows": 2},
                               {"name": "cost", "kind": "business_metric_above", "metric": "cost", "threshold": 100}]}
                    """.formatted(reference))));

            MonitorResult first = monitors.runDue(T0.plusSeconds(3600)).get(0);
            assertThat(first.rowCount()).isEqualTo(100); // the failed request is not a prediction
            assertThat(first.metric("accuracy")).hasValue(1.0);
            assertThat(monitors.runDue(T0.plusSeconds(4000))).isEmpty();
            MonitorResult second = monitors.runDue(T0.plusSeconds(7200)).get(0);
            assertThat(second.metric("accuracy").getAsDouble()).isLessThan(0.9);
            assertThat(monitors.alerts("perf")).extracting(Alert::rule).containsExactly("cost");
            monitors.runDue(T0.plusSeconds(10800));
            assertThat(monitors.alerts("perf")).extracting(Alert::rule).containsExactly("cost", "acc");
            assertThat(monitors.alerts("perf")).allMatch(a -> a.state() == Alert.State.FIRING);
            long fn = second.metrics().path("confusion").path("fn").asLong();
            assertThat(second.businessMetric("cost")).hasValue(50.0 * fn);
        }
    }

    @Test
    void businessMetricExpressionsEvaluateAndRejectBadInputNamingIt() {
        assertThat(BusinessMetric.parse("cost", "50*fn + 10*fp").evaluate(1, 2, 3, 4))
                .isEqualTo(220.0);
        assertThat(BusinessMetric.parse("x", "-(tp - fp) / n").evaluate(1, 3, 0, 0))
                .isEqualTo(0.5);
        assertThat(BusinessMetric.parse("r", "tp / (tp + fn)").evaluate(0, 5, 5, 0))
                .isNaN();
        assertThatThrownBy(() -> BusinessMetric.parse("cost", "50*fnn"))
                .isInstanceOf(CairnException.class)
                .hasMessageContaining("'fnn'");
        assertThatThrownBy(() -> BusinessMetric.parse("cost", "(1 + 2")).hasMessageContaining("')'");
        assertThatThrownBy(() -> BusinessMetric.parse("cost", "1 2")).hasMessageContaining("position");
        assertThatThrownBy(() -> BusinessMetric.parse("9bad", "1")).hasMessageContaining("'9bad'");
    }
}
