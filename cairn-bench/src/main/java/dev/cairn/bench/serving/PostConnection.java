package dev.cairn.bench.serving;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;

/**
 * One keep-alive HTTP/1.1 connection that posts the same JSON body again and again and reads
 * fixed-length answers. Built on a plain socket because the JDK client costs more CPU per request
 * than the model server it measures, on the same two cores.
 */
final class PostConnection implements AutoCloseable {
    private static final int TIMEOUT_MILLIS = 30_000;

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final byte[] request;
    private final StringBuilder line = new StringBuilder(64);

    private PostConnection(Socket socket, byte[] request) throws IOException {
        this.socket = socket;
        this.in = new BufferedInputStream(socket.getInputStream(), 16 * 1024);
        this.out = new BufferedOutputStream(socket.getOutputStream(), 16 * 1024);
        this.request = request;
    }

    /** A connection to {@code url}'s host that posts {@code body} to its path. */
    static PostConnection open(URI url, byte[] body) throws IOException {
        String head = "POST " + url.getRawPath() + (url.getRawQuery() == null ? "" : "?" + url.getRawQuery())
                + " HTTP/1.1\r\nHost: " + url.getHost() + ":" + url.getPort()
                + "\r\nContent-Type: application/json\r\nContent-Length: " + body.length + "\r\n\r\n";
        byte[] headBytes = head.getBytes(StandardCharsets.US_ASCII);
        byte[] request = new byte[headBytes.length + body.length];
        System.arraycopy(headBytes, 0, request, 0, headBytes.length);
        System.arraycopy(body, 0, request, headBytes.length, body.length);
        Socket socket = new Socket();
        try {
            socket.setTcpNoDelay(true);
            socket.setSoTimeout(TIMEOUT_MILLIS);
            socket.connect(new InetSocketAddress(url.getHost(), url.getPort()), TIMEOUT_MILLIS);
            return new PostConnection(socket, request);
        } catch (IOException e) {
            socket.close();
            throw e;
        }
    }

    /** Sends the body once and reads the whole answer; returns its status and keeps its body in {@code sink}. */
    int post(byte[][] sink) throws IOException {
        out.write(request);
        out.flush();
        String status = readLine();
        if (!status.startsWith("HTTP/1.1 ") || status.length() < 12) {
            throw new IOException("not an HTTP/1.1 status line: " + status);
        }
        int code = Integer.parseInt(status.substring(9, 12));
        int length = -1;
        for (String header = readLine(); !header.isEmpty(); header = readLine()) {
            if (header.regionMatches(true, 0, "Content-Length:", 0, 15)) {
                length = Integer.parseInt(header.substring(15).trim());
            }
        }
        if (length < 0) {
            throw new IOException("answer without Content-Length: " + status);
        }
        byte[] body = in.readNBytes(length);
        if (body.length != length) {
            throw new EOFException("connection closed inside the body");
        }
        if (sink != null) {
            sink[0] = body;
        }
        return code;
    }

    private String readLine() throws IOException {
        line.setLength(0);
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
