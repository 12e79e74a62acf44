package dev.cairn.server;

import dev.cairn.core.CairnException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.function.Supplier;

/**
 * A request body that fails with the exception {@code tooLarge} supplies once more than {@code
 * limit} bytes have been read from it: the limit holds for chunked bodies that declare no length.
 */
public final class LimitedInputStream extends FilterInputStream {
    private final long limit;
    private final Supplier<CairnException> tooLarge;
    private long count;

    public LimitedInputStream(InputStream in, long limit, Supplier<CairnException> tooLarge) {
        super(in);
        this.limit = limit;
        this.tooLarge = tooLarge;
    }

    @Override
    public int read() throws IOException {
        int b = super.read();
        if (b >= 0) {
            count(1);
        }
        return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        int n = super.read(buffer, offset, length);
        if (n > 0) {
            count(n);
        }
        return n;
    }

    private void count(int n) {
        count += n;
        if (count > limit) {
            throw tooLarge.get();
        }
    }
}
