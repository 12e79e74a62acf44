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
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A plain TCP proxy on 127.0.0.1 in front of a real server, for tests of the client's transport.
 * It can drop the next response after the request reached the server (the client then sees a
 * timeout on a request the server did carry out), and it can hold requests back until released.
 */
final class TcpProxy implements AutoCloseable {
    private static final byte[] LOG_BATCH = "POST /api/2.0/mlflow/runs/log-batch ".getBytes(StandardCharsets.US_ASCII);

    private final int upstreamPort;
    private final ServerSocket listener;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private final AtomicBoolean dropNext = new AtomicBoolean();
    private final AtomicInteger dropped = new AtomicInteger();
    private final AtomicInteger logBatchRequests = new AtomicInteger();
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

    /** How many log-batch requests passed through, retries included. */
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
