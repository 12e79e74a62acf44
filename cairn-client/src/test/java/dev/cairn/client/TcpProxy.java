package dev.cairn.client;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A plain TCP proxy on 127.0.0.1 in front of a real server, for tests of the client's transport.
 * It can drop the next response after the request reached the server (the client then sees a
 * timeout on a request the server did carry out), answer the next request itself with an error
 * status without forwarding it, and hold requests back until released.
 */
final class TcpProxy implements AutoCloseable {
    private static final byte[] LOG_BATCH = "POST /api/2.0/mlflow/runs/log-batch ".getBytes(StandardCharsets.US_ASCII);

    private final int upstreamPort;
    private final ServerSocket listener;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private final AtomicBoolean dropNext = new AtomicBoolean();
    private final AtomicInteger dropped = new AtomicInteger();
    private final AtomicInteger logBatchRequests = new AtomicInteger();
    private final AtomicInteger answerNext = new AtomicInteger();
    private final AtomicInteger answered = new AtomicInteger();
    private volatile CountDownLatch gate = new CountDownLatch(0);

    TcpProxy(int upstreamPort) throws IOException {
        this.upstreamPort = upstreamPort;
        this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(this::acceptLoop, "proxy-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    String url() {
        return "http://127.0.0.1:" + listener.getLocalPort();
    }

    /** The next response from the server is swallowed and its connection left silent. */
    void dropNextResponse() {
        dropNext.set(true);
    }

    int droppedResponses() {
        return dropped.get();
    }

    /** The next request is not forwarded: the proxy answers it with {@code status} and an MLflow error body. */
    void answerNextRequestWith(int status) {
        answerNext.set(status);
    }

    int answeredRequests() {
        return answered.get();
    }

    /** How many log-batch requests reached the server, retries included. */
    int logBatchRequests() {
        return logBatchRequests.get();
    }

    /** Stops forwarding requests to the server until {@link #release()}. */
    void hold() {
        gate = new CountDownLatch(1);
    }

    void release() {
        gate.countDown();
    }

    @Override
    public void close() throws IOException {
        release();
        listener.close();
        for (Socket socket : sockets) {
            socket.close();
        }
    }

    private void acceptLoop() {
        while (!listener.isClosed()) {
            try {
                Socket client = listener.accept();
                Socket upstream = new Socket();
                upstream.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), upstreamPort));
                sockets.add(client);
                sockets.add(upstream);
                start("proxy-request", () -> forwardRequests(client, upstream));
                start("proxy-response", () -> forwardResponses(upstream, client));
            } catch (IOException e) {
                return; // listener closed
            }
        }
    }

    private void forwardRequests(Socket client, Socket upstream) {
        try (InputStream in = client.getInputStream();
                OutputStream out = upstream.getOutputStream()) {
            byte[] buffer = new byte[64 * 1024];
            for (int n; (n = in.read(buffer)) >= 0; ) {
                gate.await();
                int status = answerNext.getAndSet(0);
                if (status != 0) {
                    answer(client, in, buffer, n, status);
                    continue;
                }
                if (startsWith(buffer, n, LOG_BATCH)) {
                    logBatchRequests.incrementAndGet();
                }
                out.write(buffer, 0, n);
                out.flush();
            }
        } catch (IOException | InterruptedException e) {
            // either side went away: the connection ends
        } finally {
            closeQuietly(client);
            closeQuietly(upstream);
        }
    }

    private void forwardResponses(Socket upstream, Socket client) {
        boolean silent = false;
        try (InputStream in = upstream.getInputStream();
                OutputStream out = client.getOutputStream()) {
            byte[] buffer = new byte[64 * 1024];
            for (int n; (n = in.read(buffer)) >= 0; ) {
                if (!silent && dropNext.compareAndSet(true, false)) {
                    silent = true;
                    dropped.incrementAndGet();
                }
                if (!silent) {
                    out.write(buffer, 0, n);
                    out.flush();
                }
            }
        } catch (IOException e) {
            // either side went away: the connection ends
        } finally {
            if (!silent) {
                closeQuietly(client);
            }
        }
    }

    /** Reads the rest of the request that begins in {@code buffer}, then answers it with {@code status}. */
    private void answer(Socket client, InputStream in, byte[] buffer, int length, int status) throws IOException {
        String head = new String(buffer, 0, length, StandardCharsets.ISO_8859_1);
        while (!head.contains("\r\n\r\n")) {
            int n = in.read(buffer);
            if (n < 0) {
                return;
            }
            head += new String(buffer, 0, n, StandardCharsets.ISO_8859_1);
        }
        int headerEnd = head.indexOf("\r\n\r\n") + 4;
        long remaining = contentLength(head.substring(0, headerEnd)) - (head.length() - headerEnd);
        while (remaining > 0) {
            int n = in.read(buffer, 0, (int) Math.min(buffer.length, remaining));
            if (n < 0) {
                return;
            }
            remaining -= n;
        }
        String code = status == 400
                ? "INVALID_PARAMETER_VALUE"
                : status == 429 ? "REQUEST_LIMIT_EXCEEDED" : "TEMPORARILY_UNAVAILABLE";
        byte[] body = ("{\"error_code\": \"" + code + "\", \"message\": \"answered by the test proxy\"}")
                .getBytes(StandardCharsets.UTF_8);
        String response = "HTTP/1.1 " + status + " Proxy\r\nContent-Type: application/json\r\nContent-Length: "
                + body.length + "\r\n\r\n";
        OutputStream out = client.getOutputStream();
        out.write(response.getBytes(StandardCharsets.ISO_8859_1));
        out.write(body);
        out.flush();
        answered.incrementAndGet();
    }

    private static long contentLength(String head) {
        for (String line : head.split("\r\n")) {
            if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                return Long.parseLong(line.substring("content-length:".length()).strip());
            }
        }
        return 0;
    }

    private static boolean startsWith(byte[] buffer, int length, byte[] prefix) {
        if (length < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (buffer[i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    private static void start(String name, Runnable body) {
        Thread thread = new Thread(body, name);
        thread.setDaemon(true);
        thread.start();
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // already closed
        }
    }
}
