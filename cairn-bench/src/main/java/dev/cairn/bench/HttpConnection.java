package dev.cairn.bench;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
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
 */
public final class HttpConnection implements AutoCloseable {
    private static final int TIMEOUT_MILLIS = 60_000;

    private final String hostHeader;
    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    private HttpConnection(String host, int port, Socket socket) throws IOException {
        this.hostHeader = host + ":" + port;
        this.socket = socket;
        this.in = new BufferedInputStream(socket.getInputStream(), 64 * 1024);
        this.out = new BufferedOutputStream(socket.getOutputStream(), 64 * 1024);
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

    private Response readResponse() throws IOException {
        String statusLine = readLine();
        if (!statusLine.startsWith("HTTP/1.1 ") || statusLine.length() < 12) {
            throw new IOException("not an HTTP/1.1 status line: " + statusLine);
        }
        int status = Integer.parseInt(statusLine.substring(9, 12));
        long length = -1;
        boolean chunked = false;
        for (String line = readLine(); !line.isEmpty(); line = readLine()) {
            int colon = line.indexOf(':');
            if (colon < 0) {
                continue;
            }
            String name = line.substring(0, colon).trim();
            String value = line.substring(colon + 1).trim();
            if (name.equalsIgnoreCase("Content-Length")) {
                length = Long.parseLong(value);
            } else if (name.equalsIgnoreCase("Transfer-Encoding") && value.equalsIgnoreCase("chunked")) {
                chunked = true;
            }
        }
        if (chunked) {
            return new Response(status, readChunked());
        }
        if (length < 0) {
            throw new IOException("response without Content-Length or chunked encoding: " + statusLine);
        }
        return new Response(status, in.readNBytes(Math.toIntExact(length)));
    }

    private byte[] readChunked() throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream(8192);
        while (true) {
            String sizeLine = readLine();
            int semicolon = sizeLine.indexOf(';');
            int size = Integer.parseInt((semicolon < 0 ? sizeLine : sizeLine.substring(0, semicolon)).trim(), 16);
            if (size == 0) {
                // trailers, then the blank line that ends the message
                while (!readLine().isEmpty()) {}
                return body.toByteArray();
            }
            byte[] chunk = in.readNBytes(size);
            if (chunk.length != size) {
                throw new EOFException("connection closed inside a chunk");
            }
            body.write(chunk);
            readLine();
        }
    }

    private String readLine() throws IOException {
        StringBuilder line = new StringBuilder(64);
        while (true) {
            int b = in.read();
            if (b < 0) {
                throw new EOFException("connection closed by the server");
            }
            if (b == '\n') {
                int end = line.length();
                if (end > 0 && line.charAt(end - 1) == '\r') {
                    line.setLength(end - 1);
                }
                return line.toString();
            }
            line.append((char) b);
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
