package dev.cairn.artifacts;

import java.io.IOException;

/** Raised at the end of a blob stream whose stored bytes do not hash to the blob's digest. */
public final class CorruptBlobException extends IOException {
    private final String expectedSha256;
    private final String actualSha256;

    public CorruptBlobException(String expectedSha256, String actualSha256) {
        super("blob " + expectedSha256 + " is corrupted: its stored content hashes to " + actualSha256);
        this.expectedSha256 = expectedSha256;
        this.actualSha256 = actualSha256;
    }

    public String expectedSha256() {
        return expectedSha256;
    }

    public String actualSha256() {
        return actualSha256;
    }
}
