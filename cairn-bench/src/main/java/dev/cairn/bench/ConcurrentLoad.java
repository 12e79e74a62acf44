package dev.cairn.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Runs the same call from several clients at once, each on its own keep-alive connection, each a
 * bounded number of times and never past a deadline, and times every call.
 */
final class ConcurrentLoad {
    /** One call of one client; {@code i} counts that client's calls from 0. */
    @FunctionalInterface
    interface Call {
        void run(HttpConnection connection, int client, int i) throws IOException;
    }

    /** What a load run did: calls made, wall-clock time of the whole run, and each call's latency. */
    record Outcome(long calls, long elapsedNanos, Samples latencies) {
        double perSecond(long unitsPerCall) {
            return calls * unitsPerCall / (elapsedNanos / 1e9);
        }
    }

    private final String host;
    private final int port;

    ConcurrentLoad(String host, int port) {
        this.host = host;
        this.port = port;
    }

    Outcome run(int clients, int callsPerClient, long maxSeconds, Call call) {
        CyclicBarrier start = new CyclicBarrier(clients + 1);
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        try {
            List<Future<long[]>> futures = new ArrayList<>();
            for (int c = 0; c < clients; c++) {
                int client = c;
                futures.add(pool.submit(() -> client(client, callsPerClient, start, maxSeconds, call)));
            }
            start.await();
            long began = System.nanoTime();
            long[][] latencies = new long[clients][];
            long calls = 0;
            for (int c = 0; c < clients; c++) {
                latencies[c] = futures.get(c).get();
                calls += latencies[c].length;
            }
            return new Outcome(calls, System.nanoTime() - began, Samples.of(latencies));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (ExecutionException | BrokenBarrierException e) {
            throw new IllegalStateException("a client failed: " + e.getCause(), e);
        } finally {
            pool.shutdownNow();
        }
    }

    private long[] client(int client, int calls, CyclicBarrier start, long maxSeconds, Call call) throws Exception {
        try (HttpConnection connection = HttpConnection.open(host, port)) {
            long[] latencies = new long[calls];
            start.await();
            long deadline = System.nanoTime() + maxSeconds * 1_000_000_000L;
            int done = 0;
            while (done < calls && System.nanoTime() < deadline) {
                long t0 = System.nanoTime();
                call.run(connection, client, done);
                latencies[done++] = System.nanoTime() - t0;
            }
            return Arrays.copyOf(latencies, done);
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }
}
