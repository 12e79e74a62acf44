package dev.cairn.server;

import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Reads and drops the part of a request body its handler left unread, after the answer is written
 * and before the exchange completes, so that a refusal such as a 413 reaches the client.
 *
 * <p>Jetty on its own reads only what has already arrived, then gives up on the body and closes the
 * connection while the client is still sending it; the kernel answers the rest of the body with a
 * reset, and a client that sends everything before it reads (most do) loses the answer with it.
 * Here the body is read to its end, the connection closes cleanly or stays open, and the client sees
 * the answer. Only bodies within a budget are read through; a larger one is cut off as before
 * rather than spending the server's bandwidth on it.
 */
final class UnreadBodies extends Handler.Wrapper {
    /** How far beyond the JSON body limit a refused body is still read through. */
    static final long BEYOND_LIMIT = 16L << 20;

    /** The most a request's body is read to its end after its answer. */
    private final long budget;

    /** Reads unread bodies of up to {@code maxJsonBodyBytes} plus {@link #BEYOND_LIMIT} bytes. */
    UnreadBodies(long maxJsonBodyBytes) {
        this.budget = maxJsonBodyBytes + BEYOND_LIMIT;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        if (!drains(request)) {
            return super.handle(request, response, callback);
        }
        UnreadBody body = new UnreadBody(request, budget);
        return super.handle(body, response, body.new Completion(callback));
    }

    /**
     * Whether the request may leave a body worth reading: not when it has none (a length of -1
     * without chunked encoding), not beyond the budget, and not when the client waits for a 100
     * Continue before sending it, since a refusal tells that client to send nothing.
     */
    private boolean drains(Request request) {
        long declared = request.getLength();
        HttpFields headers = request.getHeaders();
        if (declared == 0 || declared > budget || headers.contains(HttpHeader.EXPECT, "100-continue")) {
            return false;
        }
        return declared > 0 || headers.contains(HttpHeader.TRANSFER_ENCODING);
    }

    /** A request whose unread body is dropped rather than given up on. */
    private static final class UnreadBody extends Request.Wrapper {
        private long left;
        private boolean finished;
        private boolean ended;

        UnreadBody(Request request, long budget) {
            super(request);
            this.left = budget;
        }

        /**
         * Drops what has arrived. Jetty's own version fails the rest of the body when it cannot
         * reach its end at once, which the servlet layer calls as it completes a request.
         */
        @Override
        public boolean consumeAvailable() {
            drop();
            return ended;
        }

        /** Reads and drops without blocking; true once the body has ended, failed or passed the budget. */
        private boolean drop() {
            while (!finished) {
                Content.Chunk chunk = getWrapped().read();
                if (chunk == null) {
                    return false;
                }
                boolean failed = Content.Chunk.isFailure(chunk);
                left -= chunk.remaining();
                ended = chunk.isLast() && !failed;
                finished = chunk.isLast() || failed || left < 0;
                chunk.release();
            }
            return true;
        }

        /** Completes the exchange once {@link #drop} has finished, waiting for the client as needed. */
        final class Completion extends Callback.Nested implements Runnable {
            Completion(Callback completion) {
                super(completion);
            }

            @Override
            public void succeeded() {
                run();
            }

            @Override
            public void run() {
                if (drop()) {
                    super.succeeded();
                } else {
                    getWrapped().demand(this);
                }
            }
        }
    }
}
