package dev.cairn.bench.serving;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
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
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntUnaryOperator;

/**
 * An HTTP/1.1 keep-alive server on 127.0.0.1 for the driver's tests, one thread per connection: it
 * answers request {@code n} (counted from 0 across all connections, in arrival order) with status
 * {@code status(n)} after {@code delayMillis(n)}, alternating fixed-length and chunked bodies.
 */
final class TinyHttpServer implements AutoCloseable {
    private static final byte[] BODY =
            "{\"outputs\":[{\"name\":\"p\",\"data\":[0.25]}]}".getBytes(StandardCharsets.UTF_8);

    private final ServerSocket server;
    private final IntUnaryOperator status;
    private final IntUnaryOperator delayMillis;
    private final AtomicInteger requests = new AtomicInteger();
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private final List<Thread> threads = new CopyOnWriteArrayList<>();

    TinyHttpServer(IntUnaryOperator status, IntUnaryOperator delayMillis) throws IOException {
        this.server = new ServerSocket(0, 64, InetAddress.getLoopbackAddress());
        this.status = status;
        this.delayMillis = delayMillis;
        start(this::accept);
    }

    InetSocketAddress address() {
        return new InetSocketAddress(server.getInetAddress(), server.getLocalPort());
    }

    int requests() {
        return requests.get();
    }

    private void start(Runnable task) {
        Thread thread = new Thread(task, "tiny-http");
        thread.setDaemon(true);
        threads.add(thread);
        thread.start();
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket socket = server.accept();
                socket.setTcpNoDelay(true);
                sockets.add(socket);
                start(() -> serve(socket));
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    private void serve(Socket socket) {
        try (socket) {
            InputStream in = new BufferedInputStream(socket.getInputStream());
            OutputStream out = socket.getOutputStream();
            while (readRequest(in)) {
                int n = requests.getAndIncrement();
                Thread.sleep(delayMillis.applyAsInt(n));
                out.write(answer(status.applyAsInt(n), n % 2 == 1));
                out.flush();
            }
        } catch (IOException e) {
            // the client went away or the server is closing
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Reads one request's head and body; false at the end of the connection. */
    private static boolean readRequest(InputStream in) throws IOException {
        long contentLength = 0;
        String line = readLine(in);
        if (line == null) {
            return false;
        }
        for (line = headerLine(in); !line.isEmpty(); line = headerLine(in)) {
            int colon = line.indexOf(':');
            if (line.substring(0, colon).trim().equalsIgnoreCase("content-length")) {
                contentLength = Long.parseLong(line.substring(colon + 1).trim());
            }
        }
        in.skipNBytes(contentLength);
        return true;
    }

    private static String headerLine(InputStream in) throws IOException {
        String line = readLine(in);
        if (line == null) {
            throw new EOFException("connection closed inside a request head");
        }
        return line;
    }

    /** One line without its CR LF, or null at the end of the stream. */
    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b = in.read(); b != '\n'; b = in.read()) {
            if (b < 0 && line.size() == 0) {
                return null;
            }
            if (b < 0) {
                throw new EOFException("connection closed inside a line");
            }
            if (b != '\r') {
                line.write(b);
            }
        }
        return line.toString(StandardCharsets.ISO_8859_1);
    }

    private static byte[] answer(int status, boolean chunked) {
        ByteArrayOutputStream answer = new ByteArrayOutputStream();
        String head = String.format(Locale.ROOT, "HTTP/1.1 %d X\r\nContent-Type: application/json\r\n", status);
        answer.writeBytes(head.getBytes(StandardCharsets.US_ASCII));
        if (chunked) {
            int half = BODY.length / 2;
            answer.writeBytes("Transfer-Encoding: chunked\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            chunk(answer, 0, half);
            chunk(answer, half, BODY.length);
            answer.writeBytes("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        } else {
            answer.writeBytes(("Content-Length: " + BODY.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            answer.writeBytes(BODY);
        }
        return answer.toByteArray();
    }

    private static void chunk(ByteArrayOutputStream answer, int from, int to) {
        answer.writeBytes((Integer.toHexString(to - from) + "\r\n").getBytes(StandardCharsets.US_ASCII));
        answer.write(BODY, from, to - from);
        answer.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (Socket socket : sockets) {
            socket.close();
        }
        threads.forEach(Thread::interrupt);
    }
}
