package dev.cairn.server.artifacts;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * Sends a request line byte for byte as written, as an attacker does: no client-side normalization
 * of {@code ..}, {@code #}, {@code \} or percent-escapes.
 */
final class RawHttp {
    private RawHttp() {}

    record Reply(int status, String head, String body) {}

    static Reply send(int port, String method, String target, String body) {
        byte[] payload = body.getBytes(StandardCharsets.UTF_8);
        String request = method + " " + target + " HTTP/1.1\r\n"
                + "Host: 127.0.0.1:" + port + "\r\n"
                + "Connection: close\r\n"
                + "Content-Length: " + payload.length + "\r\n\r\n";
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            out.write(request.getBytes(StandardCharsets.ISO_8859_1));
            out.write(payload);
            out.flush();
            String reply = readAll(socket.getInputStream());
            int headEnd = reply.indexOf("\r\n\r\n");
            String head = headEnd < 0 ? reply : reply.substring(0, headEnd);
            String rest = headEnd < 0 ? "" : reply.substring(headEnd + 4);
            int status = Integer.parseInt(head.substring(9, 12));
            return new Reply(
                    status, head, head.toLowerCase().contains("transfer-encoding: chunked") ? dechunk(rest) : rest);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String readAll(InputStream in) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        in.transferTo(bytes);
        return bytes.toString(StandardCharsets.UTF_8);
    }

    private static String dechunk(String chunked) {
        StringBuilder out = new StringBuilder();
        int i = 0;
        while (i < chunked.length()) {
            int lineEnd = chunked.indexOf("\r\n", i);
            if (lineEnd < 0) {
                break;
            }
            int size = Integer.parseInt(chunked.substring(i, lineEnd).trim(), 16);
            if (size == 0) {
                break;
            }
            out.append(chunked, lineEnd + 2, Math.min(chunked.length(), lineEnd + 2 + size));
            i = lineEnd + 2 + size + 2;
        }
        return out.toString();
    }
}
