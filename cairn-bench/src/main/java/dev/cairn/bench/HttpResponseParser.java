package dev.cairn.bench;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Reads one HTTP/1.1 response at a time from whatever bytes have arrived, so that the same code frames
 * answers for a blocking socket ({@link HttpConnection}) and for non-blocking channels: the status
 * line, {@code Content-Length} or chunked bodies, and trailers. Once its line buffer has grown to the
 * longest header line, it allocates nothing, so a load loop can reuse one parser per connection.
 */
public final class HttpResponseParser {
    private static final int MAX_LINE = 64 * 1024;
    private static final byte[] CONTENT_LENGTH = "content-length".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] TRANSFER_ENCODING = "transfer-encoding".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] CHUNKED = "chunked".getBytes(StandardCharsets.US_ASCII);

    private enum State {
        STATUS_LINE,
        HEADERS,
        BODY,
        CHUNK_SIZE,
        CHUNK_DATA,
        CHUNK_END,
        TRAILERS,
        COMPLETE
    }

    private State state = State.STATUS_LINE;
    private byte[] line = new byte[256];
    private int lineLength;
    private int status;
    private long contentLength;
    private boolean chunked;
    // Bytes of the current body or chunk still to come.
    private long remaining;
    // Where the body goes, or null to drop it (the load loops only want the status).
    private ByteArrayOutputStream body;

    /** Forgets the previous response and drops the body of the next one. */
    public void reset() {
        reset(null);
    }

    /** Forgets the previous response and copies the body of the next one into {@code sink}. */
    void reset(ByteArrayOutputStream sink) {
        state = State.STATUS_LINE;
        lineLength = 0;
        body = sink;
    }

    /**
     * Consumes the bytes of the current response from {@code in}, up to its end at most: whatever
     * follows the response stays in {@code in}.
     *
     * @return whether the response is now complete
     * @throws IOException if the bytes are not a well-framed HTTP/1.1 response
     */
    public boolean feed(ByteBuffer in) throws IOException {
        while (state != State.COMPLETE && in.hasRemaining()) {
            if (state == State.BODY || state == State.CHUNK_DATA) {
                consumeBody(in);
            } else if (readLine(in)) {
                onLine();
            }
        }
        return state == State.COMPLETE;
    }

    /** The status code of the response, once its status line has been read. */
    public int status() {
        return status;
    }

    private void consumeBody(ByteBuffer in) {
        int n = (int) Math.min(remaining, in.remaining());
        if (body != null) {
            if (in.hasArray()) {
                body.write(in.array(), in.arrayOffset() + in.position(), n);
            } else {
                for (int i = 0; i < n; i++) {
                    body.write(in.get(in.position() + i));
                }
            }
        }
        in.position(in.position() + n);
        remaining -= n;
        if (remaining == 0) {
            state = state == State.BODY ? State.COMPLETE : State.CHUNK_END;
        }
    }

    /** Appends bytes to {@link #line} up to a line feed; true when a whole line (without CR LF) is in. */
    private boolean readLine(ByteBuffer in) throws IOException {
        while (in.hasRemaining()) {
            byte b = in.get();
            if (b == '\n') {
                if (lineLength > 0 && line[lineLength - 1] == '\r') {
                    lineLength--;
                }
                return true;
            }
            if (lineLength == line.length) {
                if (line.length >= MAX_LINE) {
                    throw new IOException("a response line is longer than " + MAX_LINE + " bytes");
                }
                line = Arrays.copyOf(line, line.length * 2);
            }
            line[lineLength++] = b;
        }
        return false;
    }

    private void onLine() throws IOException {
        switch (state) {
            case STATUS_LINE -> statusLine();
            case HEADERS -> header();
            case CHUNK_SIZE -> chunkSize();
            case CHUNK_END -> state = State.CHUNK_SIZE;
            case TRAILERS -> {
                if (lineLength == 0) {
                    state = State.COMPLETE;
                }
            }
            default -> throw new IllegalStateException("no line expected in state " + state);
        }
        lineLength = 0;
    }

    private void statusLine() throws IOException {
        if (lineLength < 12 || !startsWith("HTTP/1.1 ")) {
            throw new IOException("not an HTTP/1.1 status line: " + lineText());
        }
        status = (int) digits(9, 12, 10);
        contentLength = -1;
        chunked = false;
        state = State.HEADERS;
    }

    private void header() throws IOException {
        if (lineLength == 0) {
            endOfHead();
            return;
        }
        int colon = indexOf((byte) ':');
        if (colon < 0) {
            return;
        }
        int from = skipSpaces(colon + 1);
        int to = trimEnd(from);
        if (nameIs(colon, CONTENT_LENGTH)) {
            contentLength = digits(from, to, 10);
        } else if (nameIs(colon, TRANSFER_ENCODING)) {
            chunked = to - from == CHUNKED.length && regionIs(from, CHUNKED);
        }
    }

    private void endOfHead() throws IOException {
        if (chunked) {
            state = State.CHUNK_SIZE;
        } else if (contentLength > 0) {
            remaining = contentLength;
            state = State.BODY;
        } else if (contentLength == 0 || status == 204 || status == 304) {
            state = State.COMPLETE;
        } else {
            throw new IOException("response without Content-Length or chunked encoding, status " + status);
        }
    }

    private void chunkSize() throws IOException {
        int end = indexOf((byte) ';');
        int from = skipSpaces(0);
        remaining = digits(from, end < 0 ? trimEnd(from) : end, 16);
        state = remaining == 0 ? State.TRAILERS : State.CHUNK_DATA;
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
}
