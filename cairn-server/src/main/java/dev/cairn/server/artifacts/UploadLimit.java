package dev.cairn.server.artifacts;

import dev.cairn.core.CairnException;
import dev.cairn.core.ErrorCode;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/** An upload body that fails with 413 once it exceeds the server's upload limit. */
final class UploadLimit extends FilterInputStream {
    private final long limit;
    private long count;

    UploadLimit(InputStream in, long limit) {
        super(in);
        this.limit = limit;
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
            throw new CairnException(
                    ErrorCode.REQUEST_ENTITY_TOO_LARGE, "Artifact upload exceeds the limit of " + limit + " bytes");
        }
    }
}
