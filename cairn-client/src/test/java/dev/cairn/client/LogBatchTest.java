package dev.cairn.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LogBatchTest {
    private static final String RUN = "run-1";

    @Test
    void metricsSplitAtOneThousandPerBatch() {
        List<LogEntry> entries = new ArrayList<>();
        for (int i = 0; i < 2500; i++) {
            entries.add(metric(i));
        }
        assertThat(LogBatch.split(RUN, entries))
                .extracting(b -> b.metrics().size())
                .containsExactly(1000, 1000, 500);
    }

    @Test
    void paramsAndTagsSplitAtOneHundredPerBatch() {
        List<LogEntry> entries = new ArrayList<>();
        for (int i = 0; i < 150; i++) {
            entries.add(new LogEntry.ParamValue(RUN, "p" + i, "v"));
            entries.add(new LogEntry.TagValue(RUN, "t" + i, "v"));
        }
        List<LogBatch> batches = LogBatch.split(RUN, entries);
        assertThat(batches).extracting(b -> b.params().size() + b.tags().size()).containsExactly(100, 100, 100);
        assertThat(batches).allSatisfy(b -> assertThat(b.metrics()).isEmpty());
    }

    @Test
    void aBatchNeverHoldsMoreThanOneThousandEntries() {
        List<LogEntry> entries = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            entries.add(new LogEntry.ParamValue(RUN, "p" + i, "v"));
        }
        for (int i = 0; i < 1000; i++) {
            entries.add(metric(i));
        }
        List<LogBatch> batches = LogBatch.split(RUN, entries);
        assertThat(batches).extracting(LogBatch::size).containsExactly(1000, 100);
        assertThat(batches.get(0).params()).hasSize(100);
        assertThat(batches.get(0).metrics()).hasSize(900);
    }

    @Test
    void aRepeatedKeyStartsANewBatchSoValuesArriveInOrder() {
        List<LogEntry> entries = List.of(
                new LogEntry.TagValue(RUN, "stage", "train"),
                metric(0),
                new LogEntry.TagValue(RUN, "stage", "evaluate"),
                new LogEntry.ParamValue(RUN, "seed", "1"),
                new LogEntry.ParamValue(RUN, "seed", "1"));
        List<LogBatch> batches = LogBatch.split(RUN, entries);
        assertThat(batches).hasSize(3);
        assertThat(batches.get(0).tags()).extracting(LogEntry.TagValue::value).containsExactly("train");
        assertThat(batches.get(1).tags()).extracting(LogEntry.TagValue::value).containsExactly("evaluate");
        assertThat(batches.get(2).params()).hasSize(1);
    }

    @Test
    void batchJsonHasMlflowFieldNames() {
        LogBatch batch = LogBatch.split(RUN, List.of(metric(3), new LogEntry.ParamValue(RUN, "k", "v")))
                .get(0);
        assertThat(batch.toJson().toString())
                .isEqualTo("{\"run_id\":\"run-1\",\"metrics\":[{\"key\":\"m\",\"value\":3.0,\"timestamp\":1000,"
                        + "\"step\":3}],\"params\":[{\"key\":\"k\",\"value\":\"v\"}],\"tags\":[]}");
    }

    private static LogEntry metric(int step) {
        return new LogEntry.MetricPoint(RUN, new Metric("m", step, 1000, step));
    }
}
