package dev.cairn.serving;

import dev.cairn.core.CairnException;
import dev.cairn.core.ErrorCode;
import dev.cairn.models.Predictor;
import dev.cairn.models.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Merges concurrent requests into one predict call. Adaptive: a request that finds the queue empty
 * and fewer requests running on their callers' threads than there are cores runs on its own thread
 * at once, with no hand-off, so moderate load pays nothing for batching; the others queue for the
 * worker, and a batch that already has company waits, at most {@code maxDelay}, for more.
 */
final class BatchingDispatcher implements Dispatcher {
    private final String label;
    private final Predictor predictor;
    private final int maxBatch;
    private final long maxDelayNanos;
    private final int capacity;
    private final BlockingQueue<Pending> queue;
    private final Thread worker;
    /**
     * The requests that may run on their callers' threads: one per core, as each predict call keeps
     * one core busy. Beyond that, merging calls is cheaper than running them side by side.
     */
    private final int inlinePermits = Runtime.getRuntime().availableProcessors();

    private final Semaphore inline = new Semaphore(inlinePermits);
    /** Requests waiting or running, on the worker or inline: at most {@code capacity}. */
    private final AtomicInteger inFlight = new AtomicInteger();

    private volatile boolean closing;

    /** One request waiting in the queue. */
    private record Pending(List<Tensor> inputs, CompletableFuture<List<Tensor>> result) {
        int rows() {
            return inputs.get(0).batchSize();
        }
    }

    BatchingDispatcher(String label, Predictor predictor, int maxBatch, long maxDelayNanos, int capacity) {
        this.label = label;
        this.predictor = predictor;
        this.maxBatch = maxBatch;
        this.maxDelayNanos = maxDelayNanos;
        this.capacity = capacity;
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.worker = new Thread(this::work, "cairn-batch-" + label);
        worker.setDaemon(true);
        worker.start();
    }

    @Override
    public List<Tensor> submit(List<Tensor> inputs) {
        if (closing) {
            throw DirectDispatcher.overloaded(label, capacity);
        }
        if (inFlight.incrementAndGet() > capacity) {
            inFlight.decrementAndGet();
            throw DirectDispatcher.overloaded(label, capacity);
        }
        try {
            if (queue.isEmpty() && inline.tryAcquire()) {
                try {
                    return predictor.predict(inputs);
                } finally {
                    inline.release();
                }
            }
            return queued(inputs);
        } finally {
            inFlight.decrementAndGet();
        }
    }

    private List<Tensor> queued(List<Tensor> inputs) {
        var pending = new Pending(inputs, new CompletableFuture<>());
        if (closing || !queue.offer(pending)) {
            throw DirectDispatcher.overloaded(label, capacity);
        }
        // Closing began meanwhile: the worker may have seen an empty queue and stopped. A request it
        // has not taken is taken back here; one it has taken it answers before it stops.
        if (closing && queue.remove(pending)) {
            throw DirectDispatcher.overloaded(label, capacity);
        }
        try {
            return pending.result().get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new CairnException(ErrorCode.INTERNAL_ERROR, "prediction failed: " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CairnException(ErrorCode.TEMPORARILY_UNAVAILABLE, "interrupted while waiting for " + label);
        }
    }

    private void work() {
        var batch = new ArrayList<Pending>(maxBatch);
        while (!closing || !queue.isEmpty()) {
            try {
                Pending first = queue.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                queue.drainTo(batch, maxBatch - 1);
                if (batch.size() > 1) {
                    long deadline = System.nanoTime() + maxDelayNanos;
                    while (batch.size() < maxBatch) {
                        Pending next = queue.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
                        if (next == null) {
                            break;
                        }
                        batch.add(next);
                    }
                }
                run(batch);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                batch.forEach(p -> p.result().completeExceptionally(e));
            } finally {
                batch.clear();
            }
        }
    }

    private void run(List<Pending> batch) {
        if (batch.size() == 1) {
            complete(batch.get(0));
            return;
        }
        int inputs = batch.get(0).inputs().size();
        var merged = new ArrayList<Tensor>(inputs);
        for (int i = 0; i < inputs; i++) {
            var parts = new ArrayList<Tensor>(batch.size());
            for (Pending p : batch) {
                parts.add(p.inputs().get(i));
            }
            merged.add(Tensor.concat(parts));
        }
        List<Tensor> outputs;
        try {
            outputs = predictor.predict(merged);
        } catch (RuntimeException e) {
            // Each request gets its own answer: one bad row must not fail its neighbours.
            batch.forEach(this::complete);
            return;
        }
        int total = batch.stream().mapToInt(Pending::rows).sum();
        if (outputs.stream().anyMatch(o -> o.rank() == 0 || o.batchSize() != total)) {
            batch.forEach(this::complete);
            return;
        }
        int row = 0;
        for (Pending p : batch) {
            var mine = new ArrayList<Tensor>(outputs.size());
            for (Tensor output : outputs) {
                mine.add(output.rows(row, row + p.rows()));
            }
            row += p.rows();
            p.result().complete(mine);
        }
    }

    private void complete(Pending pending) {
        try {
            pending.result().complete(predictor.predict(pending.inputs()));
        } catch (RuntimeException e) {
            pending.result().completeExceptionally(e);
        }
    }

    @Override
    public int depth() {
        return queue.size();
    }

    @Override
    public void drainAndClose() {
        closing = true;
        try {
            worker.join(TimeUnit.SECONDS.toMillis(30));
            // No request is still inside the runtime on its caller's thread.
            inline.tryAcquire(inlinePermits, 30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        predictor.close();
    }
}
