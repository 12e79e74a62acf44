package dev.cairn.serving;

import dev.cairn.core.CairnException;
import dev.cairn.core.ErrorCode;
import dev.cairn.models.Predictor;
import dev.cairn.models.Tensor;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/** Predicts on the caller's thread; a semaphore bounds the requests in flight. */
final class DirectDispatcher implements Dispatcher {
    private static final long DRAIN_SECONDS = 30;

    private final String label;
    private final Predictor predictor;
    private final int capacity;
    private final Semaphore slots;

    DirectDispatcher(String label, Predictor predictor, int capacity) {
        this.label = label;
        this.predictor = predictor;
        this.capacity = capacity;
        this.slots = new Semaphore(capacity);
    }

    @Override
    public List<Tensor> submit(List<Tensor> inputs) {
        if (!slots.tryAcquire()) {
            throw overloaded(label, capacity);
        }
        try {
            return predictor.predict(inputs);
        } finally {
            slots.release();
        }
    }

    @Override
    public int depth() {
        return capacity - slots.availablePermits();
    }

    @Override
    public void drainAndClose() {
        try {
            // Taking every slot means no call is still inside the native runtime.
            slots.tryAcquire(capacity, DRAIN_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        predictor.close();
    }

    static CairnException overloaded(String label, int capacity) {
        return new CairnException(
                ErrorCode.TEMPORARILY_UNAVAILABLE,
                "model " + label + " already has " + capacity + " requests in flight; retry shortly");
    }
}
