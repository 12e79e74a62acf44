package dev.cairn.bench.serving;

import dev.cairn.bench.HttpResponseParser;
import java.io.EOFException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/**
 * Sends requests at a constant overall rate over keep-alive connections, all driven by the calling
 * thread with non-blocking channels, and times each answer from the moment its request was due.
 *
 * <p>Request {@code k} of connection {@code c} is due at {@code start + c/rate + k*connections/rate}.
 * Each connection carries one request at a time (no pipelining): a request due while its connection
 * still waits for an answer goes out as soon as that answer is in, and its latency still counts from
 * its due time, so a stalled server is not hidden by a client that waits for it (coordinated
 * omission). One thread instead of one per connection, because the driver shares the cores with the
 * server under test: every thread wake-up it saves is CPU the server keeps.
 *
 * <p>The steady state allocates nothing (preallocated arrays, direct buffers, answers polled with
 * plain non-blocking reads rather than through the selector), so the driver never pauses for its own
 * garbage collection. See {@link #await} for how it waits, and what that costs and adds to a latency.
 */
final class ConstantRateLoad {
    /**
     * Waits longer than this block in {@code Selector.select(millis)}, which wakes at once when an
     * answer arrives but times out only to the millisecond; the thread then wakes ahead of the due
     * time and parks for the rest. Shorter waits park, which is precise to a few microseconds.
     */
    private static final long SELECT_ABOVE_NANOS = TimeUnit.MILLISECONDS.toNanos(2);
    /**
     * While answers are awaited, a park lasts at most this long before the sockets are looked at: an
     * answer waits unseen at most this long plus one wake-up delay, which bounds what the driver adds
     * to a latency. Up to about 10,000 requests/s over all connections (a due every 100 µs) each due
     * time still costs one park; slower rates pay an extra park per 80 µs, as the thread-per-connection
     * driver paid one wake-up per answer.
     */
    private static final long POLL_NANOS = TimeUnit.MICROSECONDS.toNanos(80);
    /** The park wake-up delay the early-wake margin may learn, at most. */
    private static final long MAX_MARGIN_NANOS = TimeUnit.MICROSECONDS.toNanos(50);
    /** Linux delays timed wake-ups by up to this much by default ({@code timerslack_ns}). */
    private static final String DRIVER_TIMER_SLACK_NANOS = "1000";

    /**
     * What a run measured: every request's latency (sorted), the time from the first due request to
     * the last answer, the non-200 answers, and per request a bound of the error the driver itself
     * added to its latency (sorted): how late it sent the request once both due and possible, plus
     * how long its answer may have been there unseen.
     */
    record Result(long[] sorted, long elapsedNanos, long errors, long[] driverErrorSorted) {
        long count() {
            return sorted.length;
        }

        double achievedRate() {
            return sorted.length / (elapsedNanos / 1e9);
        }
    }

    /** One keep-alive connection and the request it has in flight. */
    private static final class Connection {
        final SocketChannel channel;
        final SelectionKey key;
        final ByteBuffer out;
        final ByteBuffer in = ByteBuffer.allocateDirect(16 * 1024);
        final HttpResponseParser parser = new HttpResponseParser();
        /** When request 0 of this connection is due. */
        long firstDue;
        /** The index of the next request to send on this connection. */
        long next;

        boolean busy;
        long due;
        long sentAt;
        long lateNanos;
        /** When the previous answer was seen: the earliest the next request could go out. */
        long freedAt = Long.MIN_VALUE;

        Connection(SocketChannel channel, SelectionKey key, ByteBuffer out) {
            this.channel = channel;
            this.key = key;
            this.out = out;
        }
    }

    private final Selector selector;
    private final Connection[] connections;
    private final long intervalNanos;
    private final long perConnection;
    private final long[] latencies;
    private final long[] driverErrors;
    private final Consumer<SelectionKey> onReady = this::onReady;
    private int completed;
    private int busy;
    private long errors;
    private long lastAnswer;
    // Answers that arrived after this moment may have waited unseen until the current poll.
    private long watchedUntil;
    private long unseenSince;
    // How much earlier than a due time a park ends, learnt from how late parks wake up.
    private long marginNanos = TimeUnit.MICROSECONDS.toNanos(20);
    private IOException failure;

    private ConstantRateLoad(Selector selector, int connections, long intervalNanos, long perConnection) {
        this.selector = selector;
        this.connections = new Connection[connections];
        this.intervalNanos = intervalNanos;
        this.perConnection = perConnection;
        this.latencies = new long[Math.toIntExact(perConnection * connections)];
        this.driverErrors = new long[latencies.length];
    }

    /**
     * Runs {@code rate} requests a second for {@code seconds} over {@code connections} connections to
     * {@code address}, each request the bytes {@code request}; fails if the answers are not all in
     * {@code grace} after the last request was due.
     */
    static Result run(
            InetSocketAddress address, byte[] request, double rate, long seconds, int connections, Duration grace)
            throws IOException {
        long perConnection = (long) Math.ceil(rate * seconds / connections);
        if (perConnection * connections > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException(
                    String.format(Locale.ROOT, "rate %.0f for %d s is too many requests for one run", rate, seconds));
        }
        long intervalNanos = (long) (1e9 * connections / rate);
        ByteBuffer encoded =
                ByteBuffer.allocateDirect(request.length).put(request).flip();
        try (Selector selector = Selector.open()) {
            ConstantRateLoad load = new ConstantRateLoad(selector, connections, intervalNanos, perConnection);
            try {
                for (int c = 0; c < connections; c++) {
                    load.connections[c] = load.open(address, encoded.duplicate());
                }
                long start = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(50);
                for (int c = 0; c < connections; c++) {
                    load.connections[c].firstDue = start + (long) (1e9 * c / rate);
                }
                long lastDue = start + (long) (1e9 * (connections - 1) / rate) + (perConnection - 1) * intervalNanos;
                String slack = setTimerSlack(DRIVER_TIMER_SLACK_NANOS);
                try {
                    load.drive(lastDue + grace.toNanos());
                } finally {
                    setTimerSlack(slack);
                }
                Arrays.sort(load.latencies);
                Arrays.sort(load.driverErrors);
                return new Result(load.latencies, load.lastAnswer - start, load.errors, load.driverErrors);
            } finally {
                for (Connection connection : load.connections) {
                    if (connection != null) {
                        connection.channel.close();
                    }
                }
            }
        }
    }

    /** A connection to {@code address} that sends {@code request} (from its start) when told to. */
    private Connection open(InetSocketAddress address, ByteBuffer request) throws IOException {
        ByteBuffer out = request.position(request.limit()); // nothing to write until a request is due
        SocketChannel channel = SocketChannel.open(address);
        try {
            channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
            channel.configureBlocking(false);
            SelectionKey key = channel.register(selector, SelectionKey.OP_READ);
            Connection connection = new Connection(channel, key, out);
            key.attach(connection);
            return connection;
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    private void drive(long deadline) throws IOException {
        watchedUntil = System.nanoTime();
        while (completed < latencies.length) {
            long now = System.nanoTime();
            if (now - deadline > 0) {
                throw new IllegalStateException(String.format(
                        Locale.ROOT,
                        "the server did not answer in time: %d of %d answers in, %d requests in flight",
                        completed,
                        latencies.length,
                        busy));
            }
            long nextDue = sendDue(now);
            await(nextDue == Long.MAX_VALUE || nextDue - deadline > 0 ? deadline : nextDue);
        }
    }

    /** Sends every due request whose connection is free; returns when the next one is due. */
    private long sendDue(long now) throws IOException {
        long nextDue = Long.MAX_VALUE;
        for (Connection connection : connections) {
            if (connection.busy || connection.next == perConnection) {
                continue;
            }
            long due = dueOf(connection);
            if (due - now <= 0) {
                send(connection, due);
            } else if (nextDue == Long.MAX_VALUE || due - nextDue < 0) {
                nextDue = due;
            }
        }
        return nextDue;
    }

    private long dueOf(Connection connection) {
        return connection.firstDue + connection.next * intervalNanos;
    }

    private void send(Connection connection, long due) throws IOException {
        long now = System.nanoTime();
        connection.lateNanos = now - Math.max(due, connection.freedAt);
        connection.due = due;
        connection.sentAt = now;
        connection.busy = true;
        busy++;
        connection.out.rewind();
        connection.channel.write(connection.out);
        if (connection.out.hasRemaining()) {
            connection.key.interestOps(SelectionKey.OP_READ | SelectionKey.OP_WRITE);
        }
    }

    /**
     * Waits until {@code until}, taking in the answers that arrive meanwhile.
     *
     * <p>Measured on this project's 2-core virtual machine: every sleep and wake-up of a thread costs
     * 12 to 35 µs of CPU, however short the sleep (timed parks and {@code select(1)} the most, about
     * 25 to 35 µs; a wake-up by another thread about 12 to 25 µs). So the CPU the driver takes is
     * mostly its number of wake-ups, and the old thread-per-connection driver paid two per request (a
     * timed park until the due time, then a wake-up when the answer came). This loop pays one timed
     * park per due time and looks for answers only when it wakes; it blocks in
     * {@code Selector.select(millis)}, which wakes at the first answer, only when the next due time is
     * more than {@link #SELECT_ABOVE_NANOS} away, because select times out only to the millisecond
     * and about 60 µs late. {@code selectNow()} is not used to look for answers: the JDK's epoll
     * selector boxes the descriptor of each ready channel (an allocation per answer once descriptors
     * pass 127, as they do in a JVM with a long class path), so each connection awaiting an answer
     * is tried with a non-blocking read instead (the blocking select still boxes, 16 bytes per
     * answer it reports, but it only runs below about 500 requests/s or while every connection is
     * busy).
     *
     * <p>What the driver adds to a latency: a park wakes about 20 µs late once the thread's timer
     * slack is 1 µs (about 90 µs late with Linux's default 50 µs), so parks end a learnt margin
     * before the due time and spin the rest, and requests go out within a few µs of their due time;
     * an answer is seen at most {@link #POLL_NANOS}, and at 17,000 requests/s at most the 59 µs to
     * the next due time, after it arrived (plus a wake-up delay). Each request's bound of both is
     * measured and reported ({@link Result#driverErrorSorted}).
     */
    private void await(long until) throws IOException {
        long wait = until - System.nanoTime();
        if (wait > SELECT_ABOVE_NANOS) {
            unseenSince = Long.MAX_VALUE; // set by the first answer: select returned as it arrived
            selector.select(onReady, TimeUnit.NANOSECONDS.toMillis(wait - SELECT_ABOVE_NANOS / 2));
            watchedUntil = System.nanoTime();
            rethrow();
            return;
        }
        if (wait > marginNanos) {
            long nap = wait - marginNanos;
            if (busy > 0) {
                nap = Math.min(nap, POLL_NANOS);
            }
            long parked = System.nanoTime();
            LockSupport.parkNanos(nap);
            learnMargin(System.nanoTime() - parked - nap);
            poll();
            if (until - System.nanoTime() > marginNanos) {
                return; // woken to look at the sockets, not yet near the due time
            }
        }
        // within a wake-up delay of the due time: spin to it, then look at the sockets once more
        while (System.nanoTime() - until < 0) {
            Thread.onSpinWait();
        }
        poll();
    }

    /**
     * Takes in the answers that have arrived since the last look, trying each connection that awaits
     * one with a non-blocking read (see {@link #await} for why not {@code selectNow()}).
     */
    private void poll() throws IOException {
        unseenSince = watchedUntil;
        watchedUntil = System.nanoTime();
        for (Connection connection : connections) {
            if (connection.out.hasRemaining()) {
                finishWrite(connection);
            }
            if (connection.busy) {
                read(connection);
            }
        }
    }

    private void finishWrite(Connection connection) throws IOException {
        connection.channel.write(connection.out);
        if (!connection.out.hasRemaining()) {
            connection.key.interestOps(SelectionKey.OP_READ);
        }
    }

    /**
     * Follows the usual wake-up delay rather than the mean one: the margin drops fast to a shorter
     * delay and climbs slowly to a longer one, so a few preempted wake-ups on a busy machine do not
     * turn into long spins, which would take CPU from the server.
     */
    private void learnMargin(long late) {
        long observed = Math.max(0, Math.min(MAX_MARGIN_NANOS, late));
        marginNanos += observed < marginNanos ? (observed - marginNanos) / 4 : (observed - marginNanos) / 32;
    }

    private void rethrow() throws IOException {
        if (failure != null) {
            throw failure;
        }
    }

    private void onReady(SelectionKey key) {
        Connection connection = (Connection) key.attachment();
        try {
            if (key.isWritable() && connection.out.hasRemaining()) {
                finishWrite(connection);
            }
            if (key.isReadable()) {
                read(connection);
            }
        } catch (IOException e) {
            if (failure == null) {
                failure = e;
            }
        }
    }

    private void read(Connection connection) throws IOException {
        ByteBuffer in = connection.in;
        while (true) {
            int n = connection.channel.read(in);
            if (n < 0) {
                throw new EOFException("connection closed by the server"
                        + (connection.busy ? " before the end of the answer" : " between requests"));
            }
            in.flip();
            boolean complete = connection.busy && connection.parser.feed(in);
            if (in.hasRemaining()) {
                throw new IOException("the server sent bytes that answer no request");
            }
            in.clear();
            if (complete) {
                answered(connection);
                return;
            }
            if (n < in.capacity()) {
                return;
            }
        }
    }

    private void answered(Connection connection) throws IOException {
        long now = System.nanoTime();
        if (unseenSince == Long.MAX_VALUE) {
            unseenSince = now;
        }
        latencies[completed] = now - connection.due;
        driverErrors[completed] = connection.lateNanos + now - Math.max(connection.sentAt, unseenSince);
        completed++;
        if (connection.parser.status() != 200) {
            errors++;
        }
        connection.parser.reset();
        connection.busy = false;
        busy--;
        connection.next++;
        connection.freedAt = now;
        lastAnswer = now;
        // a request that fell due while this one was in flight has waited long enough
        if (connection.next < perConnection && dueOf(connection) - now <= 0) {
            send(connection, dueOf(connection));
        }
    }

    /**
     * Sets the calling thread's Linux timer slack, by default 50 µs of extra delay on every timed
     * wait, and returns the previous value; elsewhere, or when not allowed, leaves it and returns
     * {@code value}, and the early-wake margin absorbs the delay instead.
     */
    private static String setTimerSlack(String value) {
        try {
            Path self = Files.readSymbolicLink(Path.of("/proc/thread-self"));
            Path slack = Path.of("/proc", self.getFileName().toString(), "timerslack_ns");
            String previous = Files.readString(slack).trim();
            Files.writeString(slack, value);
            return previous;
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            return value;
        }
    }
}
