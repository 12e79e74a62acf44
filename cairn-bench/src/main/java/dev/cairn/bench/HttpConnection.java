package dev.cairn.bench;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * One keep-alive HTTP/1.1 connection over a plain socket. The JDK {@code HttpClient} costs several
 * times more CPU per request than the server under test on the same two cores, so the driver speaks
 * the protocol itself: fixed-length and chunked bodies, no redirects, no TLS, one request at a time.
 * {@link #exchange} allocates nothing, so that a load loop never pauses the driver for its own
 * garbage collection (a pause would be charged to the server under test).
 */
public final class HttpConnection implements AutoCloseable {
    private static final int TIMEOUT_MILLIS = 60_000;
    private static final byte[] CONTENT_LENGTH = "content-length".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] TRANSFER_ENCODING = "transfer-encoding".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] CHUNKED = "chunked".getBytes(StandardCharsets.US_ASCII);

    private final String hostHeader;
    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    // Our own read buffer rather than a BufferedInputStream, whose read() takes a lock per byte.
    private final byte[] buffer = new byte[64 * 1024];
    private int position;
    private int limit;
    private byte[] line = new byte[256];
    private int lineLength;
    // The head of the response being read.
    private int status;
    private long contentLength;
    private boolean chunked;

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
        readHead();
        if (chunked) {
            for (long size = chunkSize(); size > 0; size = chunkSize()) {
                skip(size);
                readLine();
            }
            skipTrailers();
        } else {
            skip(contentLength);
        }
        return status;
    }

    private Response readResponse() throws IOException {
        readHead();
        if (!chunked) {
            return new Response(status, readBytes(Math.toIntExact(contentLength)));
        }
        ByteArrayOutputStream body = new ByteArrayOutputStream(8192);
        for (long size = chunkSize(); size > 0; size = chunkSize()) {
            body.write(readBytes(Math.toIntExact(size)));
            readLine();
        }
        skipTrailers();
        return new Response(status, body.toByteArray());
    }

    /** Reads the status line and the headers into {@link #status}, {@link #contentLength} and {@link #chunked}. */
    private void readHead() throws IOException {
        readLine();
        if (lineLength < 12 || !startsWith("HTTP/1.1 ")) {
            throw new IOException("not an HTTP/1.1 status line: " + lineText());
        }
        status = (int) digits(9, 12, 10);
        contentLength = -1;
        chunked = false;
        for (readLine(); lineLength > 0; readLine()) {
            int colon = indexOf((byte) ':');
            if (colon < 0) {
                continue;
            }
            int from = skipSpaces(colon + 1);
            int to = trimEnd(from);
            if (nameIs(colon, CONTENT_LENGTH)) {
                contentLength = digits(from, to, 10);
            } else if (nameIs(colon, TRANSFER_ENCODING)) {
                chunked = to - from == CHUNKED.length && regionIs(from, CHUNKED);
            }
        }
        if (!chunked && contentLength < 0) {
            throw new IOException("response without Content-Length or chunked encoding, status " + status);
        }
    }

    private long chunkSize() throws IOException {
        readLine();
        int end = indexOf((byte) ';');
        int from = skipSpaces(0);
        return digits(from, end < 0 ? trimEnd(from) : end, 16);
    }

    /** Trailers, then the blank line that ends the message. */
    private void skipTrailers() throws IOException {
        do {
            readLine();
        } while (lineLength > 0);
    }

    /** Reads one line, without its CR LF, into {@link #line}. */
    private void readLine() throws IOException {
        lineLength = 0;
        while (true) {
            int b = read();
            if (b < 0) {
                throw new EOFException("connection closed by the server");
            }
            if (b == '\n') {
                if (lineLength > 0 && line[lineLength - 1] == '\r') {
                    lineLength--;
                }
                return;
            }
            if (lineLength == line.length) {
                line = Arrays.copyOf(line, line.length * 2);
            }
            line[lineLength++] = (byte) b;
        }
    }

    private String lineText() {
        return new String(line, 0, lineLength, StandardCharsets.ISO_8859_1);
    }

    private boolean startsWith(String prefix) {
        for (int i = 0; i < prefix.length(); i++) {
            if (line[i] != prefix.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private int indexOf(byte b) {
        for (int i = 0; i < lineLength; i++) {
            if (line[i] == b) {
                return i;
            }
        }
        return -1;
    }

    private int skipSpaces(int from) {
        while (from < lineLength && (line[from] == ' ' || line[from] == '\t')) {
            from++;
        }
        return from;
    }

    private int trimEnd(int from) {
        int to = lineLength;
        while (to > from && (line[to - 1] == ' ' || line[to - 1] == '\t')) {
            to--;
        }
        return to;
    }

    /** Whether the header name before {@code colon}, trimmed, is {@code lowerCaseName} ignoring case. */
    private boolean nameIs(int colon, byte[] lowerCaseName) {
        int from = skipSpaces(0);
        int to = colon;
        while (to > from && (line[to - 1] == ' ' || line[to - 1] == '\t')) {
            to--;
        }
        return to - from == lowerCaseName.length && regionIs(from, lowerCaseName);
    }

    private boolean regionIs(int from, byte[] lowerCase) {
        for (int i = 0; i < lowerCase.length; i++) {
            int c = line[from + i];
            if (c >= 'A' && c <= 'Z') {
                c += 'a' - 'A';
            }
            if (c != lowerCase[i]) {
                return false;
            }
        }
        return true;
    }

    private long digits(int from, int to, int radix) throws IOException {
        if (from >= to) {
            throw new IOException("expected a number in: " + lineText());
        }
        long value = 0;
        for (int i = from; i < to; i++) {
            int digit = Character.digit(line[i], radix);
            if (digit < 0) {
                throw new IOException("expected a number in: " + lineText());
            }
            value = value * radix + digit;
        }
        return value;
    }

    private int read() throws IOException {
        if (position == limit && !fill()) {
            return -1;
        }
        return buffer[position++] & 0xff;
    }

    private boolean fill() throws IOException {
        int n = in.read(buffer, 0, buffer.length);
        if (n < 0) {
            return false;
        }
        position = 0;
        limit = n;
        return true;
    }

    private byte[] readBytes(int n) throws IOException {
        byte[] bytes = new byte[n];
        int done = 0;
        while (done < n) {
            if (position == limit && !fill()) {
                throw new EOFException("connection closed inside a body");
            }
            int k = Math.min(n - done, limit - position);
            System.arraycopy(buffer, position, bytes, done, k);
            position += k;
            done += k;
        }
        return bytes;
    }

    private void skip(long n) throws IOException {
        while (n > 0) {
            if (position == limit && !fill()) {
                throw new EOFException("connection closed inside a body");
            }
            int k = (int) Math.min(n, limit - position);
            position += k;
            n -= k;
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
