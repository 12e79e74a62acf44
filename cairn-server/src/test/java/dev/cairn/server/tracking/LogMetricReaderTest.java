package dev.cairn.server.tracking;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.cairn.core.CairnException;
import dev.cairn.server.Services;
import dev.cairn.server.TestServers;
import dev.cairn.server.tracking.TrackingRequests.LogMetric;
import dev.cairn.store.TestDatabases;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The streaming log-metric reader gives what data binding gives, or steps aside for it. */
class LogMetricReaderTest {
    private static Services services;

    @BeforeAll
    static void open() throws IOException {
        services = TestServers.services(TestDatabases.Kind.SQLITE, Files.createTempDirectory("cairn-log-metric-"));
    }

    @AfterAll
    static void close() {
        services.close();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "{\"run_id\":\"abc\",\"key\":\"loss\",\"value\":0.25,\"timestamp\":1700000000000,\"step\":3}",
                "{\"run_uuid\":\"abc\",\"key\":\"loss\",\"value\":1,\"timestamp\":5}",
                "{\"key\":\"loss\",\"value\":NaN,\"timestamp\":5,\"run_id\":\"r\"}",
                "{\"key\":\"loss\",\"value\":-Infinity,\"timestamp\":-5,\"step\":-1,\"run_id\":\"r\"}",
                "{\"value\":12345678901234567890,\"timestamp\":9223372036854775807}",
                "{}",
            })
    void readsPlainBodiesAsDataBindingDoes(String json) {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);

        Optional<LogMetric> plain = LogMetricReader.read(services.json().getFactory(), body);

        assertThat(plain).contains(services.requests().decode(body, LogMetric.class));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "{\"run_id\":\"abc\",\"key\":\"loss\",\"value\":\"0.25\",\"timestamp\":1}",
                "{\"run_id\":\"abc\",\"key\":\"loss\",\"value\":0.25,\"timestamp\":1.5}",
                "{\"run_id\":\"abc\",\"key\":\"loss\",\"value\":0.25,\"timestamp\":99999999999999999999}",
                "{\"run_id\":\"abc\",\"run_id\":\"def\",\"value\":1,\"timestamp\":1}",
                "{\"run_id\":null,\"key\":\"loss\",\"value\":1,\"timestamp\":1}",
                "{\"run_id\":\"abc\",\"key\":\"loss\",\"value\":1,\"timestamp\":1,\"extra\":[1,2]}",
                "{\"run_id\":\"abc\",\"key\":[\"loss\"],\"value\":1,\"timestamp\":1}",
                "{\"run_id\":\"abc\",\"key\":\"loss\",\"value\":1,\"timestamp\":1} {}",
                "{\"run_id\":\"abc\",\"key\":\"loss\",\"value\":1,\"timestamp\":1",
                "[1]",
                "null",
                "",
            })
    void leavesAnyOtherBodyToDataBinding(String json) {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);

        Optional<LogMetric> plain = LogMetricReader.read(services.json().getFactory(), body);

        assertThat(plain).isEmpty();
        // What data binding makes of it is what the client gets: a value or a 4xx naming the problem.
        Throwable failure = catchThrowable(() -> services.requests().decode(body, LogMetric.class));
        if (failure != null) {
            assertThat(failure).isInstanceOf(CairnException.class);
            assertThat(((CairnException) failure).code().httpStatus()).isBetween(400, 499);
        }
    }
}
