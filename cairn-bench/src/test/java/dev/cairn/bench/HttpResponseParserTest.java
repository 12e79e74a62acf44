package dev.cairn.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class HttpResponseParserTest {
    private static final String FIXED = "HTTP/1.1 200 OK\r\ncontent-LENGTH:  5 \r\nX-Other: a:b\r\n\r\nhello";
    private static final String CHUNKED = "HTTP/1.1 503 Busy\r\nTransfer-Encoding: chunked\r\n\r\n"
            + "3;ext=1\r\nabc\r\n10\r\n0123456789abcdef\r\n0\r\nTrailer: x\r\n\r\n";

    private static ByteBuffer bytes(String text) {
        return ByteBuffer.wrap(text.getBytes(StandardCharsets.ISO_8859_1));
    }

    @Test
    void readsAFixedLengthAnswerArrivingOneByteAtATime() throws IOException {
        var parser = new HttpResponseParser();
        var body = new ByteArrayOutputStream();
        parser.reset(body);
        byte[] all = FIXED.getBytes(StandardCharsets.ISO_8859_1);
        for (int i = 0; i < all.length - 1; i++) {
            assertThat(parser.feed(ByteBuffer.wrap(all, i, 1))).isFalse();
        }
        assertThat(parser.feed(ByteBuffer.wrap(all, all.length - 1, 1))).isTrue();
        assertThat(parser.status()).isEqualTo(200);
        assertThat(body.toString(StandardCharsets.UTF_8)).isEqualTo("hello");
    }

    @Test
    void readsAChunkedAnswerFromADirectBuffer() throws IOException {
        var parser = new HttpResponseParser();
        var body = new ByteArrayOutputStream();
        parser.reset(body);
        ByteBuffer direct = ByteBuffer.allocateDirect(256).put(bytes(CHUNKED)).flip();

        assertThat(parser.feed(direct)).isTrue();
        assertThat(direct.hasRemaining()).isFalse();
        assertThat(parser.status()).isEqualTo(503);
        assertThat(body.toString(StandardCharsets.UTF_8)).isEqualTo("abc0123456789abcdef");
    }

    @Test
    void stopsAtTheEndOfEachAnswerAndLeavesTheRest() throws IOException {
        var parser = new HttpResponseParser();
        ByteBuffer two = bytes(CHUNKED + FIXED + "HTTP/1.1 204 No Content\r\n\r\n");

        assertThat(parser.feed(two)).isTrue();
        assertThat(parser.status()).isEqualTo(503);
        parser.reset();
        assertThat(parser.feed(two)).isTrue();
        assertThat(parser.status()).isEqualTo(200);
        parser.reset();
        assertThat(parser.feed(two)).isTrue();
        assertThat(parser.status()).isEqualTo(204);
        assertThat(two.hasRemaining()).isFalse();
    }

    @Test
    void rejectsWhatIsNotAFramedHttp11Answer() {
        assertThatThrownBy(() -> new HttpResponseParser().feed(bytes("HTTP/1.0 200 OK\r\n\r\n")))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("not an HTTP/1.1 status line: HTTP/1.0 200 OK");
        assertThatThrownBy(() -> new HttpResponseParser().feed(bytes("HTTP/1.1 200 OK\r\n\r\n")))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("without Content-Length or chunked encoding, status 200");
        assertThatThrownBy(() -> new HttpResponseParser().feed(bytes("HTTP/1.1 200 OK\r\nContent-Length: x1\r\n")))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("expected a number in: Content-Length: x1");
    }
}
