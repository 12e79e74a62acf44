package dev.cairn.client;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Sends logged metrics, params and tags in the background as {@code log-batch} calls.
 *
 * <p>Memory is bounded: entries wait in a fixed-capacity queue and a logging call blocks while it
 * is full. One thread drains the queue, groups what it took by run, splits it within the server's
 * batch limits and sends each batch (the transport retries; a metric batch sent twice is harmless
 * because the server keys points on run, key, step, timestamp and value). A batch the server
 * refuses is remembered per run and thrown by the next {@link #flush()} that asks for that run.
 */
final class LogSender implements AutoCloseable {
    /** Entries taken from the queue in one round; a few batches' worth. */
    private static final int MAX_DRAIN = 4 * LogBatch.MAX_ENTRIES;
    /** Refusals kept per run beyond the first, as suppressed exceptions. */
    private static final int MAX_SUPPRESSED = 10;

    private static final LogEntry STOP = new LogEntry.TagValue("", "", "");

    private final RestTransport transport;
    private final BlockingQueue<LogEntry> queue;
    private final Thread thread;
    private final Map<String, CairnClientException> failures = new ConcurrentHashMap<>();
    // entries admitted (counted before they enter the queue) and entries done with
    private final AtomicLong admitted = new AtomicLong();
    private final Object progress = new Object();
    private long completed; // guarded by progress
    private volatile boolean closed;

    LogSender(RestTransport transport, int capacity) {
        this.transport = transport;
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.thread = new Thread(this::drain, "cairn-log-sender");
        this.thread.setDaemon(true);
        this.thread.start();
    }

    /** Queues one entry, blocking while the queue is full. */
    void submit(LogEntry entry) {
        if (closed) {
            throw CairnClientException.invalid("the Cairn client is closed; cannot log to run " + entry.runId());
        }
        // counted before it is queued, so that a flush always covers entries queued before it started
        admitted.incrementAndGet();
        try {
            queue.put(entry);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            markDone(1);
            throw new CairnClientException(
                    CairnClientException.INTERRUPTED, "interrupted while waiting for room in the log queue", e);
        }
    }

    /** Waits until every entry queued before this call has been sent or refused. */
    void flush() {
        long target = admitted.get();
        synchronized (progress) {
            while (completed < target) {
                if (!thread.isAlive()) {
                    throw CairnClientException.invalid("the Cairn client is closed; logged values were not sent");
                }
                try {
                    progress.wait(200);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new CairnClientException(
                            CairnClientException.INTERRUPTED, "interrupted while flushing logged values", e);
                }
            }
        }
    }

    /** Removes and returns the refusal recorded for {@code runId}, if any. */
    CairnClientException takeFailure(String runId) {
        return failures.remove(runId);
    }

    /** Removes and returns every recorded refusal. */
    List<CairnClientException> takeFailures() {
        List<CairnClientException> taken = new ArrayList<>();
        for (String runId : List.copyOf(failures.keySet())) {
            CairnClientException failure = failures.remove(runId);
            if (failure != null) {
                taken.add(failure);
            }
        }
        return taken;
    }

    /** Entries waiting in the queue; for tests and diagnostics. */
    int queued() {
        return queue.size();
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            flush();
        } finally {
            if (!queue.offer(STOP)) {
                thread.interrupt(); // full only if producers raced the close; their entries are lost either way
            }
            try {
                thread.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void drain() {
        List<LogEntry> taken = new ArrayList<>();
        while (true) {
            try {
                taken.add(queue.take());
            } catch (InterruptedException e) {
                return;
            }
            queue.drainTo(taken, MAX_DRAIN - 1);
            boolean stop = taken.removeIf(entry -> entry == STOP);
            send(taken);
            markDone(taken.size());
            taken.clear();
            if (stop) {
                return;
            }
        }
    }

    private void send(List<LogEntry> entries) {
        Map<String, List<LogEntry>> byRun = new LinkedHashMap<>();
        for (LogEntry entry : entries) {
            byRun.computeIfAbsent(entry.runId(), id -> new ArrayList<>()).add(entry);
        }
        byRun.forEach((runId, runEntries) -> {
            for (LogBatch batch : LogBatch.split(runId, runEntries)) {
                try {
                    transport.post("/api/2.0/mlflow/runs/log-batch", batch.toJson(), true);
                } catch (CairnClientException e) {
                    remember(runId, e);
                } catch (RuntimeException e) {
                    remember(runId, new CairnClientException("INTERNAL_ERROR", "log-batch failed: " + e, e));
                }
            }
        });
    }

    private void remember(String runId, CairnClientException failure) {
        failures.merge(runId, failure, (first, next) -> {
            if (first.getSuppressed().length < MAX_SUPPRESSED) {
                first.addSuppressed(next);
            }
            return first;
        });
    }

    private void markDone(int count) {
        synchronized (progress) {
            completed += count;
            progress.notifyAll();
        }
    }
}
