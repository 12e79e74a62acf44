package dev.cairn.serving;

import dev.cairn.models.Tensor;
import java.util.List;

/** Hands a checked request to a predictor, directly or in micro-batches, within the model's queue bound. */
interface Dispatcher {

    /** The outputs for {@code inputs} (in signature order), or TEMPORARILY_UNAVAILABLE when the queue is full. */
    List<Tensor> submit(List<Tensor> inputs);

    /** The requests waiting or running now. */
    int depth();

    /** Waits (a bounded time) for the requests in flight, then releases the predictor. */
    void drainAndClose();
}
