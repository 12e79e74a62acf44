package dev.cairn.bench.serving;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.withinPercentage;

import dev.cairn.bench.HttpConnection;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ConstantRateLoadTest {
    private static final Duration GRACE = Duration.ofSeconds(10);

    private static byte[] request(TinyHttpServer server) {
        return HttpConnection.jsonPost(
                "127.0.0.1:" + server.address().getPort(),
                "/v2/models/m/infer",
                "{\"inputs\":[]}".getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void sendsEveryRequestAtTheTargetRate() throws IOException {
        try (TinyHttpServer server = new TinyHttpServer(n -> 200, n -> 0)) {
            ConstantRateLoad.Result result = ConstantRateLoad.run(server.address(), request(server), 500, 2, 4, GRACE);

            assertThat(result.count()).isEqualTo(1000);
            assertThat(server.requests()).isEqualTo(1000);
            assertThat(result.errors()).isZero();
            assertThat(result.achievedRate()).isCloseTo(500, withinPercentage(5));
            assertThat(result.sorted()).isSorted();
            assertThat(result.sorted()[0]).isPositive();
            assertThat(result.driverErrorSorted()).hasSize(1000);
        }
    }

    @Test
    void countsEveryAnswerThatIsNotOk() throws IOException {
        try (TinyHttpServer server = new TinyHttpServer(n -> n % 4 == 3 ? 500 : 200, n -> 0)) {
            ConstantRateLoad.Result result = ConstantRateLoad.run(server.address(), request(server), 300, 1, 3, GRACE);

            assertThat(result.count()).isEqualTo(300);
            assertThat(result.errors()).isEqualTo(75);
        }
    }

    @Test
    void aStalledAnswerDelaysTheRequestsQueuedBehindIt() throws IOException {
        long stall = TimeUnit.MILLISECONDS.toNanos(50);
        // 1000 requests/s over 4 connections: each connection has one due every 4 ms
        try (TinyHttpServer server = new TinyHttpServer(n -> 200, n -> n == 100 ? 50 : 0)) {
            ConstantRateLoad.Result result = ConstantRateLoad.run(server.address(), request(server), 1000, 1, 4, GRACE);

            long[] sorted = result.sorted();
            assertThat(sorted[sorted.length - 1]).isGreaterThanOrEqualTo(stall);
            // the next request on that connection was due 4 ms after the stalled one and went out
            // only once its answer was in: it waited about 46 ms, the one after that about 42 ms, ...
            assertThat(sorted[sorted.length - 2]).isGreaterThanOrEqualTo(stall - TimeUnit.MILLISECONDS.toNanos(4));
            long queued = Arrays.stream(sorted)
                    .filter(nanos -> nanos >= TimeUnit.MILLISECONDS.toNanos(20))
                    .count();
            assertThat(queued).isGreaterThanOrEqualTo(7);
            assertThat(result.count()).isEqualTo(1000);
        }
    }

    @Test
    void failsByTheDeadlineWhenTheServerStopsAnswering() throws IOException {
        try (TinyHttpServer server = new TinyHttpServer(n -> 200, n -> n < 10 ? 0 : 60_000)) {
            assertThatThrownBy(() ->
                            ConstantRateLoad.run(server.address(), request(server), 100, 1, 2, Duration.ofMillis(200)))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("the server did not answer in time: 10 of 100 answers in");
        }
    }
}
