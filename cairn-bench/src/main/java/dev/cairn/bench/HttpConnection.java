package dev.cairn.bench;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * One keep-alive HTTP/1.1 connection over a plain socket. The JDK {@code HttpClient} costs several
 * times more CPU per request than the server under test on the same two cores, so the driver speaks
 * the protocol itself ({@link HttpResponseParser}): fixed-length and chunked bodies, no redirects, no
 * TLS, one request at a time. {@link #exchange} allocates nothing, so that a load loop never pauses
 * the driver for its own garbage collection (a pause would be charged to the server under test).
 */
public final class HttpConnection implements AutoCloseable {
    private static final int TIMEOUT_MILLIS = 60_000;

    private final String hostHeader;
    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    // Our own read buffer rather than a BufferedInputStream, whose read() takes a lock per byte.
    private final byte[] buffer = new byte[64 * 1024];
    // The bytes of buffer not parsed yet: from its position to its limit.
    private final ByteBuffer view = ByteBuffer.wrap(buffer).limit(0);
    private final HttpResponseParser parser = new HttpResponseParser();

    private HttpConnection(String host, int port, Socket socket) throws IOException {
        this.hostHeader = host + ":" + port;
        this.socket = socket;
        this.in = socket.getInputStream();
        // each request is written whole, in one call: no buffer needed
        this.out = socket.getOutputStream();
    }

    public static HttpConnection open(String host, int port) throws IOException {
        Socket socket = new Socket();
        try {
            socket.setTcpNoDelay(true);
            socket.setSoTimeout(TIMEOUT_MILLIS);
            socket.connect(new InetSocketAddress(host, port), TIMEOUT_MILLIS);
            return new HttpConnection(host, port, socket);
        } catch (IOException e) {
            socket.close();
            throw e;
        }
    }

    /** A status and a body, read completely. */
    public record Response(int status, byte[] body) {
        public String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    Response get(String pathAndQuery) throws IOException {
        String head = "GET " + pathAndQuery + " HTTP/1.1\r\nHost: " + hostHeader + "\r\n\r\n";
        out.write(head.getBytes(StandardCharsets.US_ASCII));
        out.flush();
        return readResponse();
    }

    Response postJson(String path, byte[] json) throws IOException {
        return send(jsonPost(hostHeader, path, json));
    }

    /**
     * The bytes of a POST of {@code json} to {@code path} on {@code hostHeader} ({@code host:port}),
     * encoded once so that a load loop can {@link #send} it again and again without re-encoding.
     */
    public static byte[] jsonPost(String hostHeader, String path, byte[] json) {
        String head = "POST " + path + " HTTP/1.1\r\nHost: " + hostHeader
                + "\r\nContent-Type: application/json\r\nContent-Length: " + json.length + "\r\n\r\n";
        byte[] headBytes = head.getBytes(StandardCharsets.US_ASCII);
        byte[] request = Arrays.copyOf(headBytes, headBytes.length + json.length);
        System.arraycopy(json, 0, request, headBytes.length, json.length);
        return request;
    }

    /** Sends a request encoded by {@link #jsonPost} and reads the whole answer. */
    public Response send(byte[] request) throws IOException {
        out.write(request);
        out.flush();
        return readResponse();
    }

    /**
     * Sends a request encoded by {@link #jsonPost}, reads the answer and drops its body: the status
     * alone, without allocating.
     */
    public int exchange(byte[] request) throws IOException {
        out.write(request);
        out.flush();
        parser.reset();
        readAnswer();
        return parser.status();
    }

    private Response readResponse() throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream(8192);
        parser.reset(body);
        readAnswer();
        return new Response(parser.status(), body.toByteArray());
    }

    /** Feeds the parser until the answer is complete; bytes past its end stay in the buffer. */
    private void readAnswer() throws IOException {
        while (!parser.feed(view)) {
            int n = in.read(buffer, 0, buffer.length);
            if (n < 0) {
                throw new EOFException("connection closed by the server before the end of the answer");
            }
            view.clear().limit(n);
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
