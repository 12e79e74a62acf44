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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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
    void flipMiddleBit(String sha256) {
        StoredBlobs.flipMiddleBit(root, sha256);
    }

    @Override
    boolean isPacked(String sha256) {
        return StoredBlobs.isPacked(root, sha256);
    }

    @Override
    BlobStore reopened() {
        return BlobStore.local(root);
    }

    @Override
    void losePendingPacks() throws IOException {
        for (Path pack : unindexedPacks()) {
            Files.delete(pack);
        }
    }

    private List<Path> unindexedPacks() throws IOException {
        try (Stream<Path> files = Files.list(root.resolve("packs"))) {
            return files.filter(f -> f.toString().endsWith(PackIndex.PACK_SUFFIX))
                    .filter(f -> !Files.exists(f.resolveSibling(
                            f.getFileName().toString().replace(PackIndex.PACK_SUFFIX, PackIndex.INDEX_SUFFIX))))
                    .toList();
        }
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
        assertThat(regularFilesUnder(root.resolve("packs")))
                .as("the unfinished pack is deleted")
                .isEmpty();
    }

    @Test
    void aCommittedBatchOfManyBlobsLeavesEveryBlobInPlaceAndNoTemporaryFile() throws IOException {
        List<String> digests = new ArrayList<>();
        byte[] loose = new byte[LocalBlobBatch.PACK_BELOW];
        try (BlobBatch batch = store.batch()) {
            // More loose blobs than FileSync.SYNCFS_FROM, so the whole-file-system flush is taken where it works.
            for (int i = 0; i < FileSync.SYNCFS_FROM + 36; i++) {
                digests.add(batch.put(stream("blob " + i)).ref().sha256());
                loose[0] = (byte) i;
                batch.put(loose);
            }
            batch.commit();
        }

        assertThat(blobFiles()).as("the large blobs, one file each").hasSize(digests.size());
        assertThat(regularFilesUnder(root.resolve("packs")))
                .as("the small blobs, in one pack and its index")
                .hasSize(2);
        assertThat(tempFiles()).isEmpty();
        for (int i = 0; i < digests.size(); i++) {
            try (InputStream in = store.open(digests.get(i))) {
                assertThat(in.readAllBytes()).asString().isEqualTo("blob " + i);
            }
        }
    }

    @Test
    void aPackCutShortByACrashIsIgnoredAndItsBlobsAreStoredAgain() throws IOException {
        // What a writer killed mid-pack leaves: a pack with no index, its last blob cut short.
        Files.createDirectories(root.resolve("packs"));
        Path orphan = root.resolve("packs/" + PackIndex.newPackName() + PackIndex.PACK_SUFFIX);
        Files.write(orphan, "CAIRNPK1ab".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        Path stale = root.resolve("packs/" + PackIndex.newPackName() + PackIndex.PACK_SUFFIX);
        Files.write(stale, "CAIRNPK1abc".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        Files.setLastModifiedTime(stale, FileTime.from(Instant.now().minus(2, ChronoUnit.DAYS)));

        BlobStore reopened = BlobStore.local(root);

        assertThat(reopened.contains(ABC)).isFalse();
        try (BlobBatch batch = reopened.batch()) {
            assertThat(batch.put(stream("abc")).added()).isTrue();
            batch.commit();
        }
        try (InputStream in = BlobStore.local(root).open(ABC)) {
            assertThat(in.readAllBytes()).asString().isEqualTo("abc");
        }
        assertThat(stale)
                .as("packs without an index older than a day are swept")
                .doesNotExist();
    }

    @Test
    void aDamagedPackIndexHidesItsBlobsInsteadOfMisreadingThem() throws IOException {
        try (BlobBatch batch = store.batch()) {
            batch.put(stream("abc"));
            batch.commit();
        }
        Path index;
        try (Stream<Path> files = Files.list(root.resolve("packs"))) {
            index = files.filter(f -> f.toString().endsWith(PackIndex.INDEX_SUFFIX))
                    .findFirst()
                    .orElseThrow();
        }
        byte[] bytes = Files.readAllBytes(index);
        bytes[20] ^= 1;
        Files.write(index, bytes);

        BlobStore reopened = BlobStore.local(root);

        assertThat(reopened.contains(ABC)).isFalse();
        assertThatThrownBy(() -> reopened.open(ABC)).hasMessageContaining(ABC);
        try (BlobBatch batch = reopened.batch()) {
            assertThat(batch.put(stream("abc")).added()).as("stored again").isTrue();
            batch.commit();
        }
        try (InputStream in = BlobStore.local(root).open(ABC)) {
            assertThat(in.readAllBytes()).asString().isEqualTo("abc");
        }
    }

    @Test
    void aBatchWhosePackWasSweptWhileOpenFailsItsCommitInsteadOfIndexingAnotherFile() throws IOException {
        try (BlobBatch batch = store.batch()) {
            assertThat(batch.put(stream("put long ago")).added()).isTrue();
            Path pack = unindexedPacks().get(0);
            // Another process opens the store a day later and sweeps the pack as a killed writer's...
            Files.setLastModifiedTime(pack, FileTime.from(Instant.now().minus(2, ChronoUnit.DAYS)));
            BlobStore.local(root);
            assertThat(pack).doesNotExist();
            // ...and a pack of the same name appears (the worst case: the flush at commit succeeds).
            Files.write(pack, "CAIRNPK1 other bytes".getBytes(java.nio.charset.StandardCharsets.US_ASCII));

            assertThatThrownBy(batch::commit)
                    .isInstanceOf(CairnException.class)
                    .hasMessageContaining(pack.getFileName().toString());
        }
        try (Stream<Path> files = Files.list(root.resolve("packs"))) {
            assertThat(files.filter(f -> f.toString().endsWith(PackIndex.INDEX_SUFFIX)))
                    .as("no index names the replaced pack")
                    .isEmpty();
        }
        assertThat(BlobStore.local(root).contains(sha256Of("put long ago"))).isFalse();
    }

    @Test
    void anIndexThatCouldNotBeReadIsReadAgainAtTheNextRefreshButADamagedOneIsNot() throws IOException {
        String good = PackIndex.newPackName();
        String damaged = PackIndex.newPackName();
        byte[] goodBytes =
                PackIndex.of(good, List.of(new PackIndex.Entry(ABC, 8, 3))).encode();
        byte[] damagedBytes =
                PackIndex.of(damaged, List.of(new PackIndex.Entry(EMPTY, 8, 0))).encode();
        damagedBytes[20] ^= 1;
        Map<String, Integer> reads = new HashMap<>();
        Packs packs = new Packs(new Packs.Source() {
            @Override
            public List<String> indexedPacks() {
                return List.of(good, damaged);
            }

            @Override
            public byte[] readIndex(String pack) throws IOException {
                int n = reads.merge(pack, 1, Integer::sum);
                if (pack.equals(good) && n == 1) {
                    throw new IOException("503 Slow Down");
                }
                return pack.equals(good) ? goodBytes : damagedBytes;
            }

            @Override
            public String indexLocation(String pack) {
                return pack + PackIndex.INDEX_SUFFIX;
            }
        });

        assertThat(packs.find(ABC)).as("the first read failed").isEmpty();
        assertThat(packs.findLatest(ABC)).contains(new PackIndex.Location(good, 8, 3));
        packs.refresh();
        assertThat(packs.find(EMPTY)).isEmpty();
        assertThat(reads).containsEntry(good, 2).containsEntry(damaged, 1);
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
