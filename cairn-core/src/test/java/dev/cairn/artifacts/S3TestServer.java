package dev.cairn.artifacts;

import com.adobe.testing.s3mock.S3MockApplication;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * A real S3 API server (S3Mock) on 127.0.0.1 for tests, started once per JVM with one bucket and
 * stopped when the JVM exits. Each caller gets its own key prefix, which keeps tests apart.
 */
public final class S3TestServer {
    public static final String BUCKET = "cairn-blobs";

    private static S3TestServer instance;

    private final S3MockApplication s3mock;
    private final Path root;
    private final URI endpoint;
    private final S3Client raw;
    private final AtomicLong prefixes = new AtomicLong();

    private S3TestServer() throws IOException {
        root = Files.createTempDirectory("cairn-s3mock-");
        Map<String, Object> properties = new HashMap<>();
        properties.put(S3MockApplication.PROP_HTTP_PORT, S3MockApplication.RANDOM_PORT);
        properties.put(S3MockApplication.PROP_HTTPS_PORT, S3MockApplication.RANDOM_PORT);
        properties.put(S3MockApplication.PROP_INITIAL_BUCKETS, BUCKET);
        properties.put(S3MockApplication.PROP_ROOT_DIRECTORY, root.toString());
        properties.put(S3MockApplication.PROP_SILENT, true);
        properties.put("server.address", "127.0.0.1");
        s3mock = S3MockApplication.start(properties);
        endpoint = URI.create("http://127.0.0.1:" + httpPort());
        raw = S3BlobStore.client(S3Settings.compatible(endpoint, BUCKET, "test", "test"));
    }

    /** The server, started on first use. */
    public static synchronized S3TestServer get() {
        if (instance == null) {
            try {
                instance = new S3TestServer();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            Runtime.getRuntime().addShutdownHook(new Thread(instance::stop, "s3mock-stop"));
        }
        return instance;
    }

    /** S3Mock discourages in-process use by deprecating its port getter; the tests need the port. */
    @SuppressWarnings({"deprecation", "removal"})
    private int httpPort() {
        return s3mock.getHttpPort();
    }

    public URI endpoint() {
        return endpoint;
    }

    /** Settings for a fresh prefix of the bucket, spooling into {@code spoolDir}, with the smallest parts. */
    public S3Settings freshSettings(Path spoolDir) {
        return S3Settings.compatible(endpoint, BUCKET, "test", "test")
                .withPrefix("t" + System.nanoTime() + "-" + prefixes.incrementAndGet() + "/")
                .withSpoolDir(spoolDir)
                .withPartSize(S3Settings.MIN_PART_SIZE);
    }

    /** Replaces the stored bytes of a blob behind the store's back. */
    public void overwrite(S3Settings settings, String sha256, byte[] content) {
        raw.putObject(
                b -> b.bucket(BUCKET).key(settings.prefix() + Sha256.key(sha256)), RequestBody.fromBytes(content));
    }

    /** Flips one bit in the middle of a stored blob, wherever the store keeps it (its own object or a pack). */
    public void flipMiddleBit(S3Settings settings, String sha256) {
        String dir = settings.prefix() + "packs/";
        for (String key : keys(settings)) {
            if (key.startsWith(dir) && key.endsWith(PackIndex.INDEX_SUFFIX)) {
                String pack = key.substring(dir.length(), key.length() - PackIndex.INDEX_SUFFIX.length());
                Optional<PackIndex.Location> at;
                try {
                    at = PackIndex.decode(
                                    pack,
                                    raw.getObjectAsBytes(b -> b.bucket(BUCKET).key(key))
                                            .asByteArray())
                            .find(PackIndex.digestBytes(sha256));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                if (at.isPresent()) {
                    String packKey = dir + pack + PackIndex.PACK_SUFFIX;
                    byte[] bytes = raw.getObjectAsBytes(b -> b.bucket(BUCKET).key(packKey))
                            .asByteArray();
                    bytes[Math.toIntExact(at.get().offset() + at.get().length() / 2)] ^= 1;
                    raw.putObject(b -> b.bucket(BUCKET).key(packKey), RequestBody.fromBytes(bytes));
                    return;
                }
            }
        }
        byte[] loose = read(settings, sha256);
        loose[loose.length / 2] ^= 1;
        overwrite(settings, sha256, loose);
    }

    /** The stored bytes of a blob, read without verification. */
    public byte[] read(S3Settings settings, String sha256) {
        return raw.getObjectAsBytes(b -> b.bucket(BUCKET).key(settings.prefix() + Sha256.key(sha256)))
                .asByteArray();
    }

    /** Every key under the settings' prefix. */
    public List<String> keys(S3Settings settings) {
        return raw.listObjectsV2Paginator(b -> b.bucket(BUCKET).prefix(settings.prefix())).contents().stream()
                .map(S3Object::key)
                .toList();
    }

    /** Closes an S3 blob store (its HTTP client). */
    public static void close(BlobStore store) {
        ((S3BlobStore) store).close();
    }

    /** A client that talks to the server directly, for tests that look behind a store's back. */
    public S3Client raw() {
        return raw;
    }

    private void stop() {
        raw.close();
        s3mock.stop();
        try (Stream<Path> files = Files.walk(root)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // A temporary folder left behind harms nothing.
        }
    }
}
