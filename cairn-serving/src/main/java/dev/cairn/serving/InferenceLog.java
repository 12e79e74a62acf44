package dev.cairn.serving;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.cairn.models.Tensor;
import dev.cairn.models.TensorJson;
import dev.cairn.store.Database;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.jdbi.v3.core.statement.PreparedBatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes inference records to the {@code inference_log} table off the request path: {@link #accept}
 * never blocks; a background writer drains a bounded queue in batches through {@link
 * Database#write}. When the queue is full, records are dropped and counted, never the requests.
 */
public final class InferenceLog implements InferenceSink, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(InferenceLog.class);
    private static final JsonFactory JSON = new JsonFactory();
    private static final String INSERT = "INSERT INTO inference_log (request_id, deployment, model_name,"
            + " model_version, logged_at, latency_us, status, inputs, outputs) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)";

    private final Database database;
    private final BlockingQueue<InferenceRecord> queue;
    private final int batchSize;
    private final long flushMillis;
    private final Thread writer;
    private final AtomicLong accepted = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong written = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private volatile boolean closing;

    private InferenceLog(Database database, ServingConfig config) {
        this.database = database;
        this.queue = new ArrayBlockingQueue<>(config.logQueueCapacity());
        this.batchSize = config.logBatchSize();
        this.flushMillis = config.logFlushInterval().toMillis();
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
                InferenceRecord first = queue.poll(flushMillis, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                queue.drainTo(batch, batchSize - 1);
                write(batch);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } finally {
                batch.clear();
            }
        }
    }

    private void write(List<InferenceRecord> batch) {
        try {
            var rows = new ArrayList<Object[]>(batch.size());
            for (InferenceRecord r : batch) {
                rows.add(new Object[] {
                    r.requestId(),
                    r.deployment(),
                    r.model(),
                    r.version(),
                    r.time().toEpochMilli(),
                    r.latencyMicros(),
                    r.status(),
                    tensors(r.inputs()),
                    r.status().equals("OK") ? tensors(r.outputs()) : error(r.error())
                });
            }
            database.write(handle -> {
                PreparedBatch insert = handle.prepareBatch(INSERT);
                for (Object[] row : rows) {
                    for (int i = 0; i < row.length; i++) {
                        insert.bind(i, row[i]);
                    }
                    insert.add();
                }
                return insert.execute().length;
            });
            written.addAndGet(batch.size());
        } catch (RuntimeException e) {
            // The log must never take serving down; the loss is counted and reported.
            failed.addAndGet(batch.size());
            LOG.warn("could not write {} inference log records", batch.size(), e);
        }
    }

    static String tensors(List<Tensor> tensors) {
        var out = new StringWriter();
        try (JsonGenerator json = JSON.createGenerator(out)) {
            json.writeStartArray();
            for (Tensor tensor : tensors) {
                TensorJson.write(json, tensor);
            }
            json.writeEndArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    private static String error(String message) {
        var out = new StringWriter();
        try (JsonGenerator json = JSON.createGenerator(out)) {
            json.writeStartObject();
            json.writeStringField("error", message);
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    /** Stops taking records, writes those queued, and stops the writer. */
    @Override
    public void close() {
        closing = true;
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
