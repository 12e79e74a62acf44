package dev.cairn.artifacts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.core.CairnException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class LocalBlobStoreTest extends BlobStoreContract {
    private Path root;
    private BlobStore store;

    @BeforeEach
    void open() {
        root = work.resolve("store");
        store = BlobStore.local(root);
    }

    @Override
    BlobStore store() {
        return store;
    }

    @Override
    void corrupt(String sha256, byte[] replacement) throws IOException {
        Files.write(root.resolve(Sha256.key(sha256)), replacement);
    }

    @Override
    long largeSize() {
        return 256L << 20;
    }

    @Test
    void blobsAreLaidOutByDigestPrefix() throws IOException {
        store.put(stream("abc"));
        assertThat(root.resolve("sha256/ba/" + ABC.substring(2))).hasContent("abc");
    }

    @Test
    void aStaleTemporaryFileNeverBreaksLaterCalls() throws IOException {
        Path stale = root.resolve("tmp/blob." + ABC + AtomicFiles.TEMP_SUFFIX);
        Files.writeString(stale, "ab");
        Path old = root.resolve("tmp/blob.old" + AtomicFiles.TEMP_SUFFIX);
        Files.writeString(old, "partial");
        Files.setLastModifiedTime(old, FileTime.from(Instant.now().minus(2, ChronoUnit.DAYS)));

        BlobStore reopened = BlobStore.local(root);

        assertThat(reopened.contains(ABC)).isFalse();
        assertThat(reopened.put(stream("abc")).sha256()).isEqualTo(ABC);
        assertThat(reopened.size(ABC)).isEqualTo(3);
        assertThat(old).as("temporary files older than a day are swept").doesNotExist();
    }

    @Test
    void aWriterKilledMidBlobLeavesNoVisibleBlob() throws Exception {
        Path marker = work.resolve("started");
        Process writer = new ProcessBuilder(
                        ProcessHandle.current().info().command().orElse("java"),
                        "-cp",
                        System.getProperty("java.class.path"),
                        SlowWriter.class.getName(),
                        root.toString(),
                        marker.toString())
                .redirectErrorStream(true)
                .start();
        try {
            for (int i = 0; i < 600 && !Files.exists(marker); i++) {
                Thread.sleep(50);
            }
            assertThat(marker).as("the writer started streaming").exists();
            writer.destroyForcibly();
            assertThat(writer.waitFor(30, TimeUnit.SECONDS)).isTrue();
        } finally {
            writer.destroyForcibly();
        }

        assertThat(blobFiles()).isEmpty();
        List<Path> temps = tempFiles();
        assertThat(temps).as("the killed write left its temporary file").isNotEmpty();
        BlobStore reopened = BlobStore.local(root);
        assertThat(reopened.put(stream("abc")).sha256()).isEqualTo(ABC);
        assertThat(blobFiles()).hasSize(1);
    }

    @Test
    void aBatchClosedWithoutCommitLeavesNoBlobAndNoTemporaryFile() throws IOException {
        byte[] large = new byte[(2 << 20) + 1];
        try (BlobBatch batch = store.batch()) {
            batch.put(stream("abc"));
            batch.put(large);
            assertThat(store.contains(ABC)).as("invisible before commit").isFalse();
        }

        assertThat(store.contains(ABC)).isFalse();
        assertThat(blobFiles()).isEmpty();
        assertThat(tempFiles()).isEmpty();
    }

    @Test
    void aCommittedBatchOfManyBlobsLeavesEveryBlobInPlaceAndNoTemporaryFile() throws IOException {
        List<String> digests = new ArrayList<>();
        try (BlobBatch batch = store.batch()) {
            // More blobs than FileSync.SYNCFS_FROM, so the whole-file-system flush is taken where it works.
            for (int i = 0; i < FileSync.SYNCFS_FROM + 36; i++) {
                digests.add(batch.put(stream("blob " + i)).ref().sha256());
            }
            batch.commit();
        }

        assertThat(blobFiles()).hasSize(digests.size());
        assertThat(tempFiles()).isEmpty();
        for (int i = 0; i < digests.size(); i++) {
            try (InputStream in = store.open(digests.get(i))) {
                assertThat(in.readAllBytes()).asString().isEqualTo("blob " + i);
            }
        }
    }

    @Test
    void aLinkPlantedInTheStoreIsNeverFollowedOutOfIt() throws IOException {
        Path outside = work.resolve("secret.txt");
        Files.writeString(outside, "abc");
        Path blob = root.resolve(Sha256.key(ABC));
        Files.createDirectories(blob.getParent());
        Files.createSymbolicLink(blob, outside);

        assertThat(store.contains(ABC)).isFalse();
        assertThatThrownBy(() -> store.open(ABC)).isInstanceOf(CairnException.class);
        assertThatThrownBy(() -> store.copyTo(ABC, work.resolve("copy"))).isInstanceOf(CairnException.class);
        assertThat(work.resolve("copy")).doesNotExist();
    }

    @Test
    void aLinkedPrefixDirectoryIsNeverFollowedOutOfIt() throws IOException {
        Path outsideDir = work.resolve("elsewhere");
        Files.createDirectories(outsideDir);
        Files.writeString(outsideDir.resolve(ABC.substring(2)), "abc");
        Files.createDirectories(root.resolve("sha256"));
        Files.createSymbolicLink(root.resolve("sha256/ba"), outsideDir);

        assertThat(store.contains(ABC)).isFalse();
        assertThatThrownBy(() -> store.open(ABC)).isInstanceOf(CairnException.class);
        assertThatThrownBy(() -> store.put(stream("abc"))).isInstanceOf(CairnException.class);
    }

    private List<Path> blobFiles() throws IOException {
        return regularFilesUnder(root.resolve("sha256"));
    }

    private List<Path> tempFiles() throws IOException {
        return regularFilesUnder(root.resolve("tmp"));
    }

    private static List<Path> regularFilesUnder(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(dir)) {
            return new ArrayList<>(files.filter(Files::isRegularFile).toList());
        }
    }

    /** Streams 1 MiB of a blob into a store, announces it, then stalls mid-blob until it is killed. */
    public static final class SlowWriter {
        public static void main(String[] args) {
            BlobStore store = BlobStore.local(Path.of(args[0]));
            Path marker = Path.of(args[1]);
            store.put(new InputStream() {
                long sent;

                @Override
                public int read() {
                    return 'x';
                }

                @Override
                public int read(byte[] b, int off, int len) {
                    if (sent >= (1 << 20)) {
                        stall(marker);
                    }
                    int n = (int) Math.min(len, (1 << 20) - sent);
                    java.util.Arrays.fill(b, off, off + n, (byte) 'x');
                    sent += n;
                    return n;
                }
            });
        }

        private static void stall(Path marker) {
            try {
                Files.createFile(marker);
                Thread.sleep(Long.MAX_VALUE);
            } catch (IOException | InterruptedException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
