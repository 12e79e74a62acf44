package dev.cairn.artifacts;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;

/**
 * Hashes what is read through it and fails at end of stream when the content does not hash to the
 * expected digest, so a corrupted blob is reported to its reader instead of being served silently.
 */
final class VerifyingInputStream extends FilterInputStream {
    private final String expected;
    private final MessageDigest digest = Sha256.newDigest();
    private boolean verified;

    VerifyingInputStream(InputStream in, String expectedSha256) {
        super(in);
        this.expected = expectedSha256;
    }

    @Override
    public int read() throws IOException {
        int b = in.read();
        if (b < 0) {
            verify();
        } else {
            digest.update((byte) b);
        }
        return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        int n = in.read(buffer, offset, length);
        if (n < 0) {
            verify();
        } else {
            digest.update(buffer, offset, n);
        }
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        // Skipped bytes must still be hashed, or verification would be meaningless.
        byte[] buffer = new byte[8192];
        long skipped = 0;
        while (skipped < n) {
            int r = read(buffer, 0, (int) Math.min(buffer.length, n - skipped));
            if (r < 0) {
                break;
            }
            skipped += r;
        }
        return skipped;
    }

    @Override
    public boolean markSupported() {
        return false;
    }

    @Override
    public synchronized void mark(int readlimit) {}

    @Override
    public synchronized void reset() throws IOException {
        throw new IOException("mark/reset not supported");
    }

    private void verify() throws IOException {
        if (verified) {
            return;
        }
        String actual = Sha256.hex(digest);
        verified = true;
        if (!actual.equals(expected)) {
            throw new CorruptBlobException(expected, actual);
        }
    }
}
