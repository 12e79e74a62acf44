package dev.cairn.artifacts;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.S3Client;

/** The blob store contract against a real S3 API server (S3Mock) on 127.0.0.1, started in the test. */
class S3BlobStoreTest extends BlobStoreContract {
    private static final String BUCKET = S3TestServer.BUCKET;

    private static URI endpoint;
    private static S3Client raw;

    private S3Settings settings;
    private BlobStore store;

    @BeforeAll
    static void startS3() {
        endpoint = S3TestServer.get().endpoint();
        raw = S3TestServer.get().raw();
    }

    @BeforeEach
    void open() {
        // A fresh prefix per test keeps tests apart inside the one bucket.
        settings = S3TestServer.get().freshSettings(work.resolve("spool"));
        store = BlobStore.s3(settings);
    }

    private final java.util.List<BlobStore> opened = new java.util.ArrayList<>();

    @AfterEach
    void close() {
        ((S3BlobStore) store).close();
        opened.forEach(S3TestServer::close);
    }

    @Override
    BlobStore store() {
        return store;
    }

    @Override
    void corrupt(String sha256, byte[] replacement) {
        S3TestServer.get().overwrite(settings, sha256, replacement);
    }

    @Override
    void flipMiddleBit(String sha256) {
        S3TestServer.get().flipMiddleBit(settings, sha256);
    }

    @Override
    boolean isPacked(String sha256) {
        return S3TestServer.get().keys(settings).stream()
                        .noneMatch(k -> k.equals(settings.prefix() + Sha256.key(sha256)))
                && store.contains(sha256);
    }

    @Override
    BlobStore reopened() {
        BlobStore other = BlobStore.s3(settings);
        opened.add(other);
        return other;
    }

    @Override
    void losePendingPacks() throws IOException {
        try (var spooled = Files.list(settings.spoolDir())) {
            for (java.nio.file.Path pack : spooled.toList()) {
                Files.delete(pack);
            }
        }
    }

    @Test
    void aBatchOfSmallBlobsGoesUpAsOnePackAndOneIndex() throws IOException {
        try (BlobBatch batch = store.batch()) {
            for (int i = 0; i < 40; i++) {
                batch.put(stream("small " + i));
            }
            batch.commit();
        }

        assertThat(S3TestServer.get().keys(settings))
                .allMatch(k -> k.startsWith(settings.prefix() + "packs/pack-"))
                .hasSize(2);
        assertThat(work.resolve("spool")).isEmptyDirectory();
    }

    @Test
    void blobsAreLaidOutByDigestPrefixUnderTheStorePrefix() throws IOException {
        store.put(stream("abc"));
        try (InputStream in =
                raw.getObject(b -> b.bucket(BUCKET).key(settings.prefix() + "sha256/ba/" + ABC.substring(2)))) {
            assertThat(in.readAllBytes()).asString().isEqualTo("abc");
        }
    }

    @Test
    void largeBlobsGoUpInPartsAndComeBackWhole() throws IOException {
        long size = 3 * S3Settings.MIN_PART_SIZE + 12345;
        java.security.MessageDigest expected = Sha256.newDigest();
        BlobRef ref = store.put(new PatternStream(size, expected));

        assertThat(ref.sha256()).isEqualTo(Sha256.hex(expected));
        assertThat(store.size(ref.sha256())).isEqualTo(size);
        try (InputStream in = store.open(ref.sha256())) {
            assertThat(in.transferTo(OutputStreamSink.INSTANCE)).isEqualTo(size);
        }
    }

    @Test
    void anS3LocationOpensTheBucketWithSettingsFromTheEnvironment() throws Exception {
        Map<String, String> env = Map.of(
                "CAIRN_S3_ENDPOINT_URL", endpoint.toString(),
                "AWS_ACCESS_KEY_ID", "test",
                "AWS_SECRET_ACCESS_KEY", "test");
        S3Settings parsed = BlobStoreLocation.s3Settings("s3://" + BUCKET + "/team/blobs", env);
        assertThat(parsed.prefix()).isEqualTo("team/blobs/");
        assertThat(parsed.pathStyle()).isTrue();

        try (S3BlobStore located = (S3BlobStore) BlobStoreLocation.open("s3://" + BUCKET + "/located", env)) {
            located.put(stream("abc"));
            assertThat(located.contains(ABC)).isTrue();
        }
        try (InputStream in = raw.getObject(b -> b.bucket(BUCKET).key("located/" + Sha256.key(ABC)))) {
            assertThat(in.readAllBytes()).asString().isEqualTo("abc");
        }
    }

    @Test
    void theSpoolIsEmptyAfterEveryPut() throws IOException {
        store.put(stream("abc"));
        store.put(stream("abc"));
        try (var files = Files.list(settings.spoolDir())) {
            assertThat(files).isEmpty();
        }
    }
}
