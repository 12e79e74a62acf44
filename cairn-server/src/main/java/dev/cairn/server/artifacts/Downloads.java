package dev.cairn.server.artifacts;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/** Streaming a blob to an HTTP client so that a corrupted blob never arrives whole. */
final class Downloads {
    private static final int CHUNK = 1 << 16;

    private Downloads() {}

    /**
     * Copies a verifying stream to {@code out}, holding back the last chunk until the stream has
     * verified its digest at end of input: on a mismatch the client receives fewer bytes than the
     * announced length and sees a failed download, never a complete corrupted file.
     */
    static void sendVerified(InputStream in, OutputStream out) throws IOException {
        byte[] held = new byte[CHUNK];
        byte[] next = new byte[CHUNK];
        int heldLength = in.readNBytes(held, 0, CHUNK);
        while (true) {
            int n = in.readNBytes(next, 0, CHUNK);
            if (n < CHUNK) {
                // readNBytes stopped at end of input, where the stream verified the digest.
                out.write(held, 0, heldLength);
                out.write(next, 0, n);
                return;
            }
            out.write(held, 0, heldLength);
            byte[] swap = held;
            held = next;
            next = swap;
            heldLength = n;
        }
    }

    /** {@code Content-Disposition} for a download, safe for any name an artifact path allows. */
    static String attachment(String name) {
        StringBuilder ascii = new StringBuilder(name.length());
        for (char c : name.toCharArray()) {
            ascii.append(c >= 0x20 && c < 0x7f && c != '"' && c != '\\' ? c : '_');
        }
        String encoded = URLEncoder.encode(name, StandardCharsets.UTF_8).replace("+", "%20");
        return "attachment; filename=\"" + ascii + "\"; filename*=UTF-8''" + encoded;
    }
}
