package dev.cairn.artifacts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.core.CairnException;
import dev.cairn.core.ErrorCode;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The behaviour every {@link BlobStore} backend must show; each backend runs it through a subclass. */
abstract class BlobStoreContract {
    /** SHA-256 of "abc", from FIPS 180-2. */
    static final String ABC = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";

    static final String EMPTY = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

    @TempDir
    Path work;

    abstract BlobStore store();

    /** Replaces the stored bytes of a blob behind the store's back. */
    abstract void corrupt(String sha256, byte[] replacement) throws Exception;

    /** Flips one bit in the middle of a stored blob behind the store's back, loose or packed. */
    abstract void flipMiddleBit(String sha256);

    /** True when the store keeps the blob in a pack rather than on its own. */
    abstract boolean isPacked(String sha256);

    /** Another store over the same storage, as another process would open it. */
    abstract BlobStore reopened();

    /** Deletes the packs that batches are still writing, so that their next commit fails. */
    abstract void losePendingPacks() throws IOException;

    @Test
    void smallBlobsOfABatchArePackedAndReadLikeAnyOther() throws IOException {
        List<String> contents = new ArrayList<>();
        for (int i = 0; i < 150; i++) {
            contents.add("flight " + i + ",".repeat(i * 97));
        }
        contents.add("");
        String large = "x".repeat(LocalBlobBatch.PACK_BELOW);
        try (BlobBatch batch = store().batch()) {
            for (String content : contents) {
                assertThat(batch.put(stream(content)).added()).isTrue();
            }
            batch.put(stream(large));
            batch.commit();
        }

        assertThat(isPacked(sha256Of(large)))
                .as("a blob of the threshold's size stays loose")
                .isFalse();
        BlobStore other = reopened();
        for (BlobStore reader : List.of(store(), other)) {
            for (String content : contents) {
                String sha = sha256Of(content);
                assertThat(isPacked(sha)).isTrue();
                assertThat(reader.contains(sha)).isTrue();
                assertThat(reader.size(sha)).isEqualTo(content.length());
                try (InputStream in = reader.open(sha)) {
                    assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8))
                            .isEqualTo(content);
                }
            }
        }
        Path copy = work.resolve("copies/flight-7.txt");
        other.copyTo(sha256Of(contents.get(7)), copy);
        assertThat(copy).hasContent(contents.get(7));
    }

    @Test
    void aBatchDeduplicatesAgainstLooseAndPackedBlobs() throws IOException {
        store().put(stream("abc"));
        try (BlobBatch batch = store().batch()) {
            assertThat(batch.put(stream("packed once")).added()).isTrue();
            batch.commit();
        }

        for (BlobStore writer : List.of(store(), reopened())) {
            try (BlobBatch batch = writer.batch()) {
                assertThat(batch.put(stream("abc")).added()).as("loose").isFalse();
                assertThat(batch.put(stream("packed once")).added())
                        .as("packed")
                        .isFalse();
                batch.commit();
            }
        }
        assertThat(isPacked(ABC)).isFalse();
        try (InputStream in = reopened().open(sha256Of("packed once"))) {
            assertThat(in.readAllBytes()).asString().isEqualTo("packed once");
        }
    }

    @Test
    void packedBlobsAreInvisibleUntilCommitAndGoneWhenTheBatchIsClosedWithout() throws IOException {
        try (BlobBatch batch = store().batch()) {
            batch.put(stream("uncommitted"));
            assertThat(store().contains(sha256Of("uncommitted"))).isFalse();
        }
        assertThat(store().contains(sha256Of("uncommitted"))).isFalse();
        assertThat(reopened().contains(sha256Of("uncommitted"))).isFalse();
        assertThatThrownBy(() -> reopened().open(sha256Of("uncommitted")))
                .satisfies(e -> assertCode(e, ErrorCode.RESOURCE_DOES_NOT_EXIST));
    }

    @Test
    void aCorruptedPackedBlobFailsAtTheEndOfItsStreamAndSparesItsNeighbours() throws Exception {
        try (BlobBatch batch = store().batch()) {
            batch.put(stream("neighbour before"));
            batch.put(stream("abc"));
            batch.put(stream("neighbour after"));
            batch.commit();
        }
        assertThat(isPacked(ABC)).isTrue();
        flipMiddleBit(ABC);

        for (BlobStore reader : List.of(store(), reopened())) {
            try (InputStream in = reader.open(ABC)) {
                assertThatThrownBy(in::readAllBytes)
                        .isInstanceOf(CorruptBlobException.class)
                        .hasMessageContaining(ABC);
            }
            Path target = work.resolve("out/abc.txt");
            assertThatThrownBy(() -> reader.copyTo(ABC, target))
                    .satisfies(e -> assertCode(e, ErrorCode.INTERNAL_ERROR))
                    .hasMessageContaining(ABC);
            assertThat(target).doesNotExist();
            for (String neighbour : List.of("neighbour before", "neighbour after")) {
                try (InputStream in = reader.open(sha256Of(neighbour))) {
                    assertThat(in.readAllBytes()).asString().isEqualTo(neighbour);
                }
            }
        }
    }

    @Test
    void aBatchWhoseCommitFailedRefusesMorePutsAndCommitsInsteadOfDroppingBlobs() throws IOException {
        try (BlobBatch batch = store().batch()) {
            assertThat(batch.put(stream("lost in a failed commit")).added()).isTrue();
            losePendingPacks();
            assertThatThrownBy(batch::commit).isInstanceOf(CairnException.class);

            assertThatThrownBy(() -> batch.put(stream("lost in a failed commit")))
                    .satisfies(e -> assertCode(e, ErrorCode.INVALID_STATE))
                    .hasMessageContaining("failed to commit");
            assertThatThrownBy(() -> batch.put(stream("another")))
                    .satisfies(e -> assertCode(e, ErrorCode.INVALID_STATE));
            assertThatThrownBy(batch::commit).satisfies(e -> assertCode(e, ErrorCode.INVALID_STATE));
        }
        assertThat(store().contains(sha256Of("lost in a failed commit"))).isFalse();
        try (BlobBatch retry = store().batch()) {
            assertThat(retry.put(stream("lost in a failed commit")).added()).isTrue();
            retry.commit();
        }
        try (InputStream in = reopened().open(sha256Of("lost in a failed commit"))) {
            assertThat(in.readAllBytes()).asString().isEqualTo("lost in a failed commit");
        }
    }

    @Test
    void aBatchCommittedTwiceWritesTwoPacksAndReadsBoth() throws IOException {
        try (BlobBatch batch = store().batch()) {
            batch.put(stream("first commit"));
            batch.commit();
            assertThat(batch.put(stream("first commit")).added()).isFalse();
            assertThat(batch.put(stream("second commit")).added()).isTrue();
            batch.commit();
        }
        BlobStore other = reopened();
        for (String content : List.of("first commit", "second commit")) {
            assertThat(isPacked(sha256Of(content))).isTrue();
            try (InputStream in = other.open(sha256Of(content))) {
                assertThat(in.readAllBytes()).asString().isEqualTo(content);
            }
        }
    }

    @Test
    void putReturnsTheSha256AndSizeOfTheContent() throws IOException {
        BlobRef ref = store().put(stream("abc"));

        assertThat(ref).isEqualTo(new BlobRef(ABC, 3));
        assertThat(store().contains(ABC)).isTrue();
        assertThat(store().size(ABC)).isEqualTo(3);
        try (InputStream in = store().open(ABC)) {
            assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("abc");
        }
    }

    @Test
    void theEmptyBlobIsABlobLikeAnyOther() throws IOException {
        assertThat(store().put(new ByteArrayInputStream(new byte[0]))).isEqualTo(new BlobRef(EMPTY, 0));
        try (InputStream in = store().open(EMPTY)) {
            assertThat(in.readAllBytes()).isEmpty();
        }
    }

    @Test
    void storingTheSameContentTwiceGivesTheSameBlob() throws IOException {
        Path file = work.resolve("a.txt");
        Files.writeString(file, "abc");

        assertThat(store().put(stream("abc"))).isEqualTo(store().put(file));
        assertThat(store().size(ABC)).isEqualTo(3);
    }

    @Test
    void putDoesNotCloseTheCallersStream() throws IOException {
        var closed = new boolean[1];
        InputStream in = new ByteArrayInputStream("abc".getBytes(StandardCharsets.UTF_8)) {
            @Override
            public void close() {
                closed[0] = true;
            }
        };
        store().put(in);
        assertThat(closed[0]).isFalse();
    }

    @Test
    void aMissingBlobIsResourceDoesNotExist() {
        String absent = "0".repeat(64);
        assertThat(store().contains(absent)).isFalse();
        assertThatThrownBy(() -> store().open(absent)).satisfies(e -> assertCode(e, ErrorCode.RESOURCE_DOES_NOT_EXIST));
        assertThatThrownBy(() -> store().size(absent)).satisfies(e -> assertCode(e, ErrorCode.RESOURCE_DOES_NOT_EXIST));
        assertThatThrownBy(() -> store().copyTo(absent, work.resolve("x")))
                .satisfies(e -> assertCode(e, ErrorCode.RESOURCE_DOES_NOT_EXIST));
        assertThat(work.resolve("x")).doesNotExist();
    }

    @Test
    void aMalformedDigestIsRejectedBeforeItReachesStorage() {
        for (String bad : new String[] {"../../etc/passwd", "AB" + "0".repeat(62), "0".repeat(63), ""}) {
            assertThatThrownBy(() -> store().open(bad))
                    .satisfies(e -> assertCode(e, ErrorCode.INVALID_PARAMETER_VALUE))
                    .hasMessageContaining("sha256");
            assertThatThrownBy(() -> store().contains(bad)).isInstanceOf(CairnException.class);
        }
    }

    @Test
    void copyToWritesTheBlobAndCreatesParentDirectories() throws IOException {
        store().put(stream("abc"));
        Path target = work.resolve("out/deep/abc.txt");

        store().copyTo(ABC, target);

        assertThat(target).hasContent("abc");
        try (var files = Files.list(target.getParent())) {
            assertThat(files).containsExactly(target);
        }
    }

    @Test
    void copyToReplacesAnExistingTarget() throws IOException {
        store().put(stream("abc"));
        Path target = work.resolve("abc.txt");
        Files.writeString(target, "old content");

        store().copyTo(ABC, target);

        assertThat(target).hasContent("abc");
    }

    @Test
    void aCorruptedBlobFailsAtTheEndOfItsStream() throws Exception {
        store().put(stream("abc"));
        corrupt(ABC, "abd".getBytes(StandardCharsets.UTF_8));

        try (InputStream in = store().open(ABC)) {
            assertThatThrownBy(in::readAllBytes)
                    .isInstanceOf(CorruptBlobException.class)
                    .hasMessageContaining(ABC);
        }
    }

    @Test
    void aCorruptedBlobIsNeverCopiedToItsTarget() throws Exception {
        store().put(stream("abc"));
        corrupt(ABC, "abd".getBytes(StandardCharsets.UTF_8));
        Path target = work.resolve("out/abc.txt");

        assertThatThrownBy(() -> store().copyTo(ABC, target))
                .satisfies(e -> assertCode(e, ErrorCode.INTERNAL_ERROR))
                .hasMessageContaining(ABC);
        assertThat(target).doesNotExist();
        try (var files = Files.list(target.getParent())) {
            assertThat(files).as("no temporary file is left beside the target").isEmpty();
        }
    }

    @Test
    void aStreamThatFailsHalfwayLeavesNoBlob() {
        InputStream failing = new InputStream() {
            int left = 100_000;

            @Override
            public int read() throws IOException {
                // Throws on every call once exhausted: InputStream.read(byte[]) swallows a first failure.
                if (left-- <= 0) {
                    throw new IOException("connection reset");
                }
                return 'x';
            }
        };
        assertThatThrownBy(() -> store().put(failing)).isInstanceOf(CairnException.class);

        String partial = sha256Of("x".repeat(100_000));
        assertThat(store().contains(partial)).isFalse();
        assertThat(store().put(stream("x".repeat(100_000))).sha256()).isEqualTo(partial);
    }

    @Test
    void concurrentPutsOfTheSameAndOtherContentAllSucceed() throws Exception {
        var pool = java.util.concurrent.Executors.newFixedThreadPool(8);
        try {
            var results = new java.util.ArrayList<java.util.concurrent.Future<BlobRef>>();
            for (int i = 0; i < 32; i++) {
                String text = i % 2 == 0 ? "same content" : "content " + i;
                results.add(pool.submit(() -> store().put(stream(text))));
            }
            for (int i = 0; i < results.size(); i++) {
                String text = i % 2 == 0 ? "same content" : "content " + i;
                BlobRef ref = results.get(i).get();
                assertThat(ref.sha256()).isEqualTo(sha256Of(text));
                try (InputStream in = store().open(ref.sha256())) {
                    assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8))
                            .isEqualTo(text);
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aBatchStoresEachContentOnceAndCountsOnlyWhatItAdded() throws IOException {
        store().put(stream("abc"));
        Path file = work.resolve("large.bin");
        byte[] large = new byte[(3 << 20) + 17];
        new java.util.Random(7).nextBytes(large);
        Files.write(file, large);
        MessageDigest digest = Sha256.newDigest();
        digest.update(large);
        String largeSha = Sha256.hex(digest);

        try (BlobBatch batch = store().batch()) {
            BlobBatch.Put known = batch.put(stream("abc"));
            BlobBatch.Put first = batch.put("flights".getBytes(StandardCharsets.UTF_8));
            BlobBatch.Put again = batch.put(stream("flights"));
            BlobBatch.Put big;
            try (InputStream in = Files.newInputStream(file)) {
                big = batch.put(in);
            }
            batch.commit();

            assertThat(known).isEqualTo(new BlobBatch.Put(new BlobRef(ABC, 3), false));
            assertThat(first).isEqualTo(new BlobBatch.Put(new BlobRef(sha256Of("flights"), 7), true));
            assertThat(again.added()).as("the batch already had it").isFalse();
            assertThat(big).isEqualTo(new BlobBatch.Put(new BlobRef(largeSha, large.length), true));
        }
        try (InputStream in = store().open(sha256Of("flights"))) {
            assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("flights");
        }
        Path copy = work.resolve("copy.bin");
        store().copyTo(largeSha, copy);
        assertThat(copy).hasBinaryContent(large);
    }

    @Test
    void aBatchStreamThatFailsHalfwayStoresNothingAndReportsTheReadFailure() {
        InputStream failing = new InputStream() {
            int left = (2 << 20) + 5;

            @Override
            public int read() throws IOException {
                if (left-- <= 0) {
                    throw new IOException("connection reset");
                }
                return 'y';
            }
        };
        try (BlobBatch batch = store().batch()) {
            assertThatThrownBy(() -> batch.put(failing)).hasMessageContaining("connection reset");
            batch.commit();
        }
        assertThat(store().contains(sha256Of("y".repeat((2 << 20) + 5)))).isFalse();
    }

    @Test
    void largeContentStreamsThroughInConstantMemory() throws IOException {
        long size = largeSize();
        MessageDigest expected = Sha256.newDigest();
        BlobRef ref = store().put(new PatternStream(size, expected));

        assertThat(ref.size()).isEqualTo(size);
        assertThat(ref.sha256()).isEqualTo(HexFormat.of().formatHex(expected.digest()));
        Path target = work.resolve("large.bin");
        store().copyTo(ref.sha256(), target);
        assertThat(Files.size(target)).isEqualTo(size);
        try (InputStream in = store().open(ref.sha256())) {
            assertThat(in.transferTo(OutputStreamSink.INSTANCE)).isEqualTo(size);
        }
    }

    /** Bytes pushed through {@link #largeContentStreamsThroughInConstantMemory}. */
    long largeSize() {
        return 64L << 20;
    }

    static InputStream stream(String s) {
        return new ByteArrayInputStream(s.getBytes(StandardCharsets.UTF_8));
    }

    static String sha256Of(String s) {
        MessageDigest d = Sha256.newDigest();
        d.update(s.getBytes(StandardCharsets.UTF_8));
        return Sha256.hex(d);
    }

    static void assertCode(Throwable e, ErrorCode code) {
        assertThat(e).isInstanceOf(CairnException.class);
        assertThat(((CairnException) e).code()).isEqualTo(code);
    }

    /** A deterministic stream of any length that never holds more than one buffer. */
    static final class PatternStream extends InputStream {
        private final long size;
        private final MessageDigest digest;
        private long position;

        PatternStream(long size, MessageDigest digest) {
            this.size = size;
            this.digest = digest;
        }

        @Override
        public int read() {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (position >= size) {
                return -1;
            }
            int n = (int) Math.min(len, size - position);
            for (int i = 0; i < n; i++) {
                long p = position + i;
                b[off + i] = (byte) (p * 31 + (p >>> 13));
            }
            digest.update(b, off, n);
            position += n;
            return n;
        }
    }

    /** Discards what it is given. */
    static final class OutputStreamSink extends java.io.OutputStream {
        static final OutputStreamSink INSTANCE = new OutputStreamSink();

        @Override
        public void write(int b) {}

        @Override
        public void write(byte[] b, int off, int len) {}
    }
}
