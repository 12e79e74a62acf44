package dev.cairn.serving;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.StreamWriteFeature;
import dev.cairn.models.Tensor;
import dev.cairn.models.TensorJson;
import dev.cairn.store.Database;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes inference records to the {@code inference_log} table off the request path: {@link #accept}
 * never blocks; a background writer drains a bounded queue in batches through {@link
 * Database#write}. When the queue is full, records are dropped and counted, never the requests.
 */
public final class InferenceLog implements InferenceSink, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(InferenceLog.class);
    /** Schubfach for floats and doubles: the same shortest text that reads back to the same value, faster. */
    private static final JsonFactory JSON = JsonFactory.builder()
            .enable(StreamWriteFeature.USE_FAST_DOUBLE_WRITER)
            .build();

    private static final String INSERT = "INSERT INTO inference_log (request_id, deployment, model_name,"
            + " model_version, logged_at, latency_us, status, inputs, outputs) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)";
    /** How often a gathering writer looks at the queue. */
    private static final long GATHER_STEP_NANOS = TimeUnit.MILLISECONDS.toNanos(10);
    /** How often an idle writer looks whether the log is closing; a record wakes it at once. */
    private static final long IDLE_WAIT_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    private final Database database;
    private final BlockingQueue<InferenceRecord> queue;
    private final int batchSize;
    /** The flush interval: how long a batch gathers records after its first. */
    private final long flushNanos;

    private final Thread writer;
    private final AtomicLong accepted = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong written = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private volatile boolean closing;
    /** The records {@link #flush} waits for: until they are written, batches do not wait for more. */
    private final AtomicLong flushUpTo = new AtomicLong();
    /** The writer thread's JSON buffer and generator, reused batch after batch rather than made per batch. */
    private JsonText json;

    private InferenceLog(Database database, ServingConfig config) {
        this.database = database;
        this.queue = new ArrayBlockingQueue<>(config.logQueueCapacity());
        this.batchSize = config.logBatchSize();
        this.flushNanos = config.logFlushInterval().toNanos();
        this.writer = new Thread(this::run, "cairn-inference-log");
        writer.setDaemon(true);
        writer.start();
    }

    /** A log that writes to {@code database} (migrated to V6) with {@code config}'s queue and batch sizes. */
    public static InferenceLog open(Database database, ServingConfig config) {
        return new InferenceLog(database, config);
    }

    /** Queues {@code record} for writing; when the queue is full it is dropped and counted. */
    @Override
    public void accept(InferenceRecord record) {
        if (closing || !queue.offer(record)) {
            dropped.incrementAndGet();
        } else {
            accepted.incrementAndGet();
        }
    }

    /** Records dropped because the queue was full or the log closed. */
    public long dropped() {
        return dropped.get();
    }

    /** Records committed to the table. */
    public long written() {
        return written.get();
    }

    /** Waits until every record queued before this call is committed (for tests and shutdown), at most {@code millis}. */
    public void flush(long millis) {
        long deadline = System.currentTimeMillis() + millis;
        long target = accepted.get();
        flushUpTo.accumulateAndGet(target, Math::max);
        LockSupport.unpark(writer);
        while (written.get() + failed.get() < target && System.currentTimeMillis() < deadline) {
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private void run() {
        var batch = new ArrayList<InferenceRecord>(batchSize);
        while (!closing || !queue.isEmpty()) {
            try {
                InferenceRecord first = queue.poll(IDLE_WAIT_NANOS, TimeUnit.NANOSECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                gather(batch, System.nanoTime() + flushNanos);
                write(batch);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } finally {
                batch.clear();
            }
        }
    }

    /**
     * Adds waiting records to {@code batch} until it is full, {@code deadline} passes, or a flush or
     * close asks for the records. A commit costs several page writes in every index whatever its
     * size, so gathering pays; but the transaction runs on one of the cores that also serve, so
     * a short interval keeps each one short: at 10,000 requests/s, batches of 500 (every 50 ms)
     * doubled the p99 latency of batches of 100 (every 10 ms), for no less CPU.
     */
    private void gather(List<InferenceRecord> batch, long deadline) {
        while (true) {
            queue.drainTo(batch, batchSize - batch.size());
            long left = deadline - System.nanoTime();
            if (batch.size() >= batchSize || left <= 0 || closing || flushPending()) {
                return;
            }
            LockSupport.parkNanos(Math.min(left, GATHER_STEP_NANOS));
        }
    }

    private boolean flushPending() {
        return written.get() + failed.get() < flushUpTo.get();
    }

    private void write(List<InferenceRecord> batch) {
        try {
            var rows = new Row[batch.size()];
            if (json == null) {
                json = new JsonText();
            }
            for (int i = 0; i < rows.length; i++) {
                InferenceRecord r = batch.get(i);
                rows[i] = new Row(
                        r,
                        json.tensors(r.inputs()),
                        r.status().equals("OK") ? json.tensors(r.outputs()) : json.error(r.error()));
            }
            database.write(handle -> insert(handle.getConnection(), rows));
            written.addAndGet(batch.size());
        } catch (RuntimeException e) {
            // a generator that failed mid-value is not reused
            json = null;
            // The log must never take serving down; the loss is counted and reported.
            failed.addAndGet(batch.size());
            LOG.warn("could not write {} inference log records", batch.size(), e);
        }
    }

    /** A record with its tensors as JSON text. */
    private record Row(InferenceRecord record, String inputs, String outputs) {}

    /** One JDBC batch: binding through plain setters costs a fraction of per-argument type resolution. */
    private static int insert(Connection connection, Row[] rows) {
        try (PreparedStatement insert = connection.prepareStatement(INSERT)) {
            for (Row row : rows) {
                InferenceRecord r = row.record();
                insert.setString(1, r.requestId());
                insert.setString(2, r.deployment());
                insert.setString(3, r.model());
                insert.setString(4, r.version());
                insert.setLong(5, r.time().toEpochMilli());
                insert.setLong(6, r.latencyMicros());
                insert.setString(7, r.status());
                insert.setString(8, row.inputs());
                insert.setString(9, row.outputs());
                insert.addBatch();
            }
            return insert.executeBatch().length;
        } catch (SQLException e) {
            throw new IllegalStateException("inserting " + rows.length + " inference log records failed", e);
        }
    }

    /**
     * Writes the JSON texts of a batch through one generator into one buffer, cutting a string
     * after each value, rather than a generator and a writer per value.
     */
    private static final class JsonText {
        private final StringWriter out = new StringWriter(4096);
        private final JsonGenerator json;

        JsonText() {
            try {
                json = JSON.createGenerator(out);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            json.setRootValueSeparator(null);
        }

        String tensors(List<Tensor> tensors) {
            try {
                json.writeStartArray();
                for (Tensor tensor : tensors) {
                    TensorJson.write(json, tensor);
                }
                json.writeEndArray();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return cut();
        }

        String error(String message) {
            try {
                json.writeStartObject();
                json.writeStringField("error", message);
                json.writeEndObject();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return cut();
        }

        private String cut() {
            try {
                json.flush();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            StringBuffer buffer = out.getBuffer();
            String text = buffer.toString();
            buffer.setLength(0);
            return text;
        }
    }

    /** Stops taking records, writes those queued, and stops the writer. */
    @Override
    public void close() {
        closing = true;
        LockSupport.unpark(writer);
        try {
            writer.join(TimeUnit.SECONDS.toMillis(30));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (dropped.get() > 0 || failed.get() > 0) {
            LOG.warn("inference log: {} records dropped, {} failed to write", dropped.get(), failed.get());
        }
    }
}
