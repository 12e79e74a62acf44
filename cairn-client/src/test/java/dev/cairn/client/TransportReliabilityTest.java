package dev.cairn.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Batching, retries and the bounded queue, through a real proxy in front of a real server. */
@Timeout(120)
class TransportReliabilityTest {
    @TempDir
    static Path home;

    static ServerFixture server;
    static Cairn direct;

    @BeforeAll
    static void start() {
        server = ServerFixture.start(home);
        direct = Cairn.connect(server.url());
    }

    @AfterAll
    static void stop() {
        direct.close();
        server.close();
    }

    @Test
    void largeVolumesAreSplitIntoBatchesTheServerAccepts() throws Exception {
        try (TcpProxy proxy = new TcpProxy(server.port());
                Cairn cairn = Cairn.connect(proxy.url())) {
            String runId;
            try (ActiveRun run = cairn.experiment("batching").startRun()) {
                runId = run.id();
                for (int step = 0; step < 2500; step++) {
                    run.logMetric("loss", 1.0 / (step + 1), step);
                }
                for (int i = 0; i < 150; i++) {
                    run.logParam("p" + i, "v" + i);
                }
                for (int i = 0; i < 60; i++) {
                    run.setTag("t" + i, "v" + i);
                }
            }
            Run run = direct.runs().get(runId);
            assertThat(run.params()).hasSize(150).containsEntry("p149", "v149");
            assertThat(run.tags()).containsEntry("t59", "v59");
            assertThat(direct.runs().metricHistory(runId, "loss")).hasSize(2500);
            // 2500 metrics and 210 params and tags need at least three calls of at most 1000 entries
            assertThat(proxy.logBatchRequests()).isGreaterThanOrEqualTo(3);
        }
    }

    @Test
    void batchResentAfterALostResponseCreatesNoDuplicatePoints() throws Exception {
        ClientOptions impatient = ClientOptions.builder()
                .requestTimeout(Duration.ofSeconds(1))
                .initialBackoff(Duration.ofMillis(20))
                .build();
        try (TcpProxy proxy = new TcpProxy(server.port());
                Cairn cairn = Cairn.connect(proxy.url(), impatient)) {
            ActiveRun run = cairn.experiment("retries").startRun();
            proxy.dropNextResponse();
            for (int step = 0; step < 50; step++) {
                run.logMetric("loss", 100 - step, step);
            }
            run.logParam("optimizer", "adam").setTag("phase", "warmup");
            run.close();

            assertThat(proxy.droppedResponses()).isEqualTo(1);
            assertThat(proxy.logBatchRequests()).isGreaterThanOrEqualTo(2);
            List<Metric> history = direct.runs().metricHistory(run.id(), "loss");
            assertThat(history).hasSize(50);
            assertThat(history).extracting(Metric::step).doesNotHaveDuplicates();
            Run stored = direct.runs().get(run.id());
            assertThat(stored.params()).containsEntry("optimizer", "adam");
            assertThat(stored.info().status()).isEqualTo(RunStatus.FINISHED);
        }
    }

    @Test
    void serverUnavailableAndRateLimitedAnswersAreRetried() throws Exception {
        ClientOptions quick =
                ClientOptions.builder().initialBackoff(Duration.ofMillis(10)).build();
        try (TcpProxy proxy = new TcpProxy(server.port());
                Cairn cairn = Cairn.connect(proxy.url(), quick)) {
            ActiveRun run = cairn.experiment("retry-status").startRun();
            proxy.answerNextRequestWith(503);
            run.logMetric("loss", 0.5, 1);
            run.flush();
            proxy.answerNextRequestWith(429);
            run.logMetric("loss", 0.4, 2);
            run.close();

            assertThat(proxy.answeredRequests()).isEqualTo(2);
            assertThat(direct.runs().metricHistory(run.id(), "loss"))
                    .extracting(Metric::step)
                    .containsExactly(1L, 2L);
            assertThat(direct.runs().get(run.id()).info().status()).isEqualTo(RunStatus.FINISHED);
        }
    }

    @Test
    void aClientErrorIsNotRetriedAndFailsTheNextFlush() throws Exception {
        try (TcpProxy proxy = new TcpProxy(server.port());
                Cairn cairn = Cairn.connect(proxy.url())) {
            ActiveRun run = cairn.experiment("client-error").startRun();
            proxy.answerNextRequestWith(400);
            run.logMetric("loss", 0.5, 1);

            assertThatThrownBy(run::flush).isInstanceOfSatisfying(CairnClientException.class, e -> {
                assertThat(e.errorCode()).isEqualTo("INVALID_PARAMETER_VALUE");
                assertThat(e.getMessage()).isEqualTo("answered by the test proxy");
            });
            assertThat(proxy.logBatchRequests()).isZero();
            run.flush(); // the failure is reported once
            run.close();
            assertThat(direct.runs().get(run.id()).info().status()).isEqualTo(RunStatus.FAILED);
        }
    }

    @Test
    void loggingBlocksWhileTheQueueIsFullAndLosesNothing() throws Exception {
        ClientOptions small = ClientOptions.builder().queueCapacity(10).build();
        try (TcpProxy proxy = new TcpProxy(server.port());
                Cairn cairn = Cairn.connect(proxy.url(), small)) {
            ActiveRun run = cairn.experiment("bounded").startRun();
            proxy.hold();
            run.logMetric("m", 0, 0);
            awaitCondition(() -> cairn.sender().queued() == 0); // the sender took it and is stuck sending
            for (int step = 1; step <= 10; step++) {
                run.logMetric("m", step, step);
            }
            assertThat(cairn.sender().queued()).isEqualTo(10);

            boolean[] returned = new boolean[1];
            Thread producer = new Thread(() -> {
                run.logMetric("m", 11, 11);
                returned[0] = true;
            });
            producer.start();
            awaitCondition(() -> producer.getState() == Thread.State.WAITING);
            assertThat(returned[0]).isFalse();
            assertThat(cairn.sender().queued()).isEqualTo(10);

            proxy.release();
            producer.join();
            run.close();
            assertThat(returned[0]).isTrue();
            assertThat(direct.runs().metricHistory(run.id(), "m"))
                    .extracting(Metric::step)
                    .containsExactly(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L, 11L);
        }
    }

    @Test
    void concurrentLoggersThroughOneClientLoseNothing() throws Exception {
        ClientOptions small = ClientOptions.builder().queueCapacity(100).build();
        try (Cairn cairn = Cairn.connect(server.url(), small)) {
            Experiment experiment = cairn.experiment("concurrent");
            List<ActiveRun> runs = new ArrayList<>();
            List<Thread> loggers = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                ActiveRun run = experiment.startRun("logger-" + i);
                runs.add(run);
                loggers.add(new Thread(() -> {
                    for (int step = 0; step < 500; step++) {
                        run.logMetric("m", step, step);
                    }
                    run.close();
                }));
            }
            loggers.forEach(Thread::start);
            for (Thread logger : loggers) {
                logger.join();
            }
            for (ActiveRun run : runs) {
                assertThat(direct.runs().metricHistory(run.id(), "m")).hasSize(500);
                assertThat(direct.runs().get(run.id()).info().status()).isEqualTo(RunStatus.FINISHED);
            }
        }
    }

    @Test
    void unreachableServerFailsWithConnectionFailed() throws Exception {
        int closedPort;
        try (var socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        ClientOptions quick = ClientOptions.builder()
                .maxAttempts(2)
                .initialBackoff(Duration.ofMillis(10))
                .build();
        try (Cairn cairn = Cairn.connect("http://127.0.0.1:" + closedPort, quick)) {
            assertThatThrownBy(() -> cairn.experiment("nowhere"))
                    .isInstanceOfSatisfying(CairnClientException.class, e -> assertThat(e.errorCode())
                            .isEqualTo(CairnClientException.CONNECTION_FAILED));
        }
    }

    /** Waits for a state another thread reaches; a liveness wait, not a timing assertion. */
    private static void awaitCondition(BooleanSupplier condition) throws InterruptedException {
        while (!condition.getAsBoolean()) {
            Thread.sleep(5);
        }
    }
}
