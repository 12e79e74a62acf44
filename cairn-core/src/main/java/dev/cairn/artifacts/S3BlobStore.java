package dev.cairn.artifacts;

import dev.cairn.core.CairnException;
import dev.cairn.core.ErrorCode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Blobs in an S3-compatible bucket under {@code <prefix>sha256/ab/cdef...} (loose) or inside packs
 * under {@code <prefix>packs/} (small blobs stored by a batch, see {@link PackIndex}; read with
 * ranged GETs). Loose content is spooled to a local file while it is hashed (the key is the hash),
 * then uploaded in one PUT or, when large, in parts; S3 makes an object visible only once its upload
 * completes, so no partial blob is ever seen.
 */
final class S3BlobStore implements BlobStore, AutoCloseable {
    private final S3Client s3;
    private final S3Settings settings;
    /**
     * Puts of the same content from this process take turns, so only the first uploads and the
     * others find the object: no key is rewritten while it is being read.
     */
    private final Object[] keyLocks = new Object[64];

    private final Packs packs = new Packs(new PackObjects());

    S3BlobStore(S3Settings settings) {
        for (int i = 0; i < keyLocks.length; i++) {
            keyLocks[i] = new Object();
        }
        this.settings = settings;
        this.s3 = client(settings);
    }

    static S3Client client(S3Settings settings) {
        S3ClientBuilder builder = S3Client.builder()
                .httpClient(UrlConnectionHttpClient.create())
                .region(Region.of(settings.region()))
                .credentialsProvider(credentials(settings))
                .forcePathStyle(settings.pathStyle());
        settings.endpoint().ifPresent(builder::endpointOverride);
        return builder.build();
    }

    private static AwsCredentialsProvider credentials(S3Settings settings) {
        if (settings.accessKeyId().isPresent()) {
            return StaticCredentialsProvider.create(AwsBasicCredentials.create(
                    settings.accessKeyId().get(), settings.secretAccessKey().orElseThrow()));
        }
        return DefaultCredentialsProvider.builder().build();
    }

    @Override
    public BlobRef put(InputStream content) {
        return store(content).ref();
    }

    /**
     * Spools, hashes and uploads unless the bucket has the blob. The spool is deleted right after
     * the upload, so it is never forced to disk: S3 acknowledges a PUT once the object is durable.
     */
    BlobBatch.Put store(InputStream content) {
        AtomicFiles.Spooled spooled = AtomicFiles.spool(content, settings.spoolDir(), false);
        try {
            String key = key(spooled.ref().sha256());
            synchronized (keyLocks[Math.floorMod(key.hashCode(), keyLocks.length)]) {
                if (exists(key)) {
                    return new BlobBatch.Put(spooled.ref(), false);
                }
                upload(key, spooled.file(), spooled.ref().size());
                return new BlobBatch.Put(spooled.ref(), true);
            }
        } finally {
            AtomicFiles.deleteQuietly(spooled.file());
        }
    }

    @Override
    public BlobBatch batch() {
        return new S3BlobBatch(this);
    }

    Packs packs() {
        return packs;
    }

    Path spoolDir() {
        return settings.spoolDir();
    }

    /** True when the bucket has the blob as an object of its own. */
    boolean hasLoose(String sha256) {
        return exists(key(sha256));
    }

    /** Uploads a written pack, then its index, and makes it visible to this process. */
    void publishPack(PackWriter pack) {
        PackIndex index = PackIndex.of(pack.name(), pack.entries());
        upload(packKey(pack.name(), PackIndex.PACK_SUFFIX), pack.file(), pack.size());
        try {
            s3.putObject(
                    b -> b.bucket(settings.bucket()).key(packKey(pack.name(), PackIndex.INDEX_SUFFIX)),
                    RequestBody.fromBytes(index.encode()));
        } catch (SdkException e) {
            throw translate(pack.name(), e);
        }
        packs.add(index);
    }

    @Override
    public BlobRef put(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            return put(in);
        } catch (NoSuchFileException e) {
            throw CairnException.notFound("file does not exist: " + file);
        } catch (IOException e) {
            throw AtomicFiles.failure("could not read " + file, e);
        }
    }

    @Override
    public boolean contains(String sha256) {
        return packs.find(sha256).isPresent()
                || exists(key(sha256))
                || packs.findLatest(sha256).isPresent();
    }

    @Override
    public long size(String sha256) {
        Optional<PackIndex.Location> packed = packs.find(sha256);
        if (packed.isPresent()) {
            return packed.get().length();
        }
        try {
            return s3.headObject(b -> b.bucket(settings.bucket()).key(key(sha256)))
                    .contentLength();
        } catch (SdkException e) {
            return packs.findLatest(sha256).map(PackIndex.Location::length).orElseThrow(() -> translate(sha256, e));
        }
    }

    @Override
    public InputStream open(String sha256) {
        Optional<PackIndex.Location> packed = packs.find(sha256);
        if (packed.isPresent()) {
            return openPacked(sha256, packed.get());
        }
        try {
            return new VerifyingInputStream(
                    s3.getObject(b -> b.bucket(settings.bucket()).key(key(sha256))), sha256);
        } catch (SdkException e) {
            Optional<PackIndex.Location> latest = isMissing(e) ? packs.findLatest(sha256) : Optional.empty();
            return openPacked(sha256, latest.orElseThrow(() -> translate(sha256, e)));
        }
    }

    /** One ranged GET of the blob's bytes in its pack, verified as it is read. */
    private InputStream openPacked(String sha256, PackIndex.Location at) {
        if (at.length() == 0) {
            return new VerifyingInputStream(InputStream.nullInputStream(), sha256);
        }
        String range = "bytes=" + at.offset() + "-" + (at.offset() + at.length() - 1);
        try {
            return new VerifyingInputStream(
                    s3.getObject(b -> b.bucket(settings.bucket())
                            .key(packKey(at.pack(), PackIndex.PACK_SUFFIX))
                            .range(range)),
                    sha256);
        } catch (SdkException e) {
            throw new CairnException(
                    ErrorCode.INTERNAL_ERROR,
                    "blob " + sha256 + " could not be read from its pack " + at.pack() + ": " + e.getMessage(),
                    e);
        }
    }

    private String packKey(String pack, String suffix) {
        return settings.prefix() + "packs/" + pack + suffix;
    }

    /** The packs of this bucket and prefix. */
    private final class PackObjects implements Packs.Source {
        @Override
        public List<String> indexedPacks() {
            String dir = settings.prefix() + "packs/";
            try {
                return s3
                        .listObjectsV2Paginator(b -> b.bucket(settings.bucket()).prefix(dir))
                        .contents()
                        .stream()
                        .map(S3Object::key)
                        .filter(k -> k.endsWith(PackIndex.INDEX_SUFFIX))
                        .map(k -> k.substring(dir.length(), k.length() - PackIndex.INDEX_SUFFIX.length()))
                        .filter(PackIndex::isPackName)
                        .toList();
            } catch (SdkException e) {
                throw translate(dir, e);
            }
        }

        @Override
        public byte[] readIndex(String pack) throws IOException {
            try {
                return s3.getObjectAsBytes(b -> b.bucket(settings.bucket()).key(packKey(pack, PackIndex.INDEX_SUFFIX)))
                        .asByteArray();
            } catch (SdkException e) {
                throw new IOException("could not read the index of pack " + pack + ": " + e.getMessage(), e);
            }
        }

        @Override
        public String indexLocation(String pack) {
            return "s3://" + settings.bucket() + "/" + packKey(pack, PackIndex.INDEX_SUFFIX);
        }
    }

    @Override
    public void copyTo(String sha256, Path target) {
        try (InputStream in = open(sha256)) {
            AtomicFiles.publish(in, target);
        } catch (CorruptBlobException e) {
            throw new CairnException(ErrorCode.INTERNAL_ERROR, e.getMessage(), e);
        } catch (IOException e) {
            throw AtomicFiles.failure("could not copy blob " + sha256 + " to " + target, e);
        } catch (SdkException e) {
            throw translate(sha256, e);
        }
    }

    @Override
    public void close() {
        s3.close();
    }

    @Override
    public String toString() {
        return "S3BlobStore[" + settings.bucket() + "/" + settings.prefix() + "]";
    }

    private String key(String sha256) {
        return settings.prefix() + Sha256.key(sha256);
    }

    private boolean exists(String key) {
        try {
            s3.headObject(b -> b.bucket(settings.bucket()).key(key));
            return true;
        } catch (NoSuchKeyException e) {
            return false;
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                return false;
            }
            throw translate(key, e);
        } catch (SdkException e) {
            throw translate(key, e);
        }
    }

    private void upload(String key, Path file, long size) {
        try {
            if (size <= settings.partSize()) {
                s3.putObject(b -> b.bucket(settings.bucket()).key(key), RequestBody.fromFile(file));
            } else {
                uploadInParts(key, file, size);
            }
        } catch (SdkException e) {
            throw translate(key, e);
        }
    }

    private void uploadInParts(String key, Path file, long size) {
        String uploadId = s3.createMultipartUpload(
                        b -> b.bucket(settings.bucket()).key(key))
                .uploadId();
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            List<CompletedPart> parts = new ArrayList<>();
            for (long offset = 0, number = 1; offset < size; offset += settings.partSize(), number++) {
                long length = Math.min(settings.partSize(), size - offset);
                int partNumber = (int) number;
                channel.position(offset);
                // The channel's stream is bounded by the length given; the part is streamed, not buffered.
                String etag = s3.uploadPart(
                                b -> b.bucket(settings.bucket())
                                        .key(key)
                                        .uploadId(uploadId)
                                        .partNumber(partNumber)
                                        .contentLength(length),
                                RequestBody.fromInputStream(Channels.newInputStream(channel), length))
                        .eTag();
                parts.add(CompletedPart.builder()
                        .partNumber(partNumber)
                        .eTag(etag)
                        .build());
            }
            s3.completeMultipartUpload(
                    b -> b.bucket(settings.bucket()).key(key).uploadId(uploadId).multipartUpload(m -> m.parts(parts)));
        } catch (IOException | RuntimeException e) {
            abort(key, uploadId);
            throw e instanceof SdkException sdk ? translate(key, sdk) : AtomicFiles.failure("upload of " + key, e);
        }
    }

    private void abort(String key, String uploadId) {
        try {
            s3.abortMultipartUpload(b -> b.bucket(settings.bucket()).key(key).uploadId(uploadId));
        } catch (SdkException ignored) {
            // The bucket's lifecycle rules reap abandoned uploads; they are never visible as objects.
        }
    }

    private static boolean isMissing(SdkException e) {
        return e instanceof NoSuchKeyException || (e instanceof S3Exception s && s.statusCode() == 404);
    }

    private static CairnException translate(String what, SdkException e) {
        if (isMissing(e)) {
            return CairnException.notFound("blob " + what + " does not exist");
        }
        if (e instanceof SdkClientException) {
            return new CairnException(
                    ErrorCode.TEMPORARILY_UNAVAILABLE, "the S3 blob store does not answer: " + e.getMessage(), e);
        }
        return new CairnException(
                ErrorCode.INTERNAL_ERROR, "S3 blob store failed on " + what + ": " + e.getMessage(), e);
    }
}
