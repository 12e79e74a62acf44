package dev.cairn.artifacts;

import dev.cairn.core.CairnException;
import java.net.URI;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Where an S3-compatible blob store keeps its blobs and how to reach it.
 *
 * @param bucket the bucket, which must exist
 * @param prefix key prefix before {@code sha256/...}, empty or ending in {@code /}
 * @param endpoint the service endpoint for S3-compatible servers (MinIO, Ceph, ...); AWS when empty
 * @param region signing region, {@code us-east-1} unless the server wants another
 * @param accessKeyId static credentials; the SDK's default chain (environment, profile) when empty
 * @param secretAccessKey the secret of {@code accessKeyId}
 * @param pathStyle path-style addressing ({@code endpoint/bucket/key}), which most S3-compatible servers need
 * @param spoolDir local directory where uploads are hashed before they are sent
 * @param partSize uploads larger than this go up in parts of this size (at least 5 MiB)
 */
public record S3Settings(
        String bucket,
        String prefix,
        Optional<URI> endpoint,
        String region,
        Optional<String> accessKeyId,
        Optional<String> secretAccessKey,
        boolean pathStyle,
        Path spoolDir,
        long partSize) {
    public static final long MIN_PART_SIZE = 5L << 20;
    public static final long DEFAULT_PART_SIZE = 64L << 20;

    public S3Settings {
        CairnException.requireArgument(bucket != null && !bucket.isBlank(), "bucket must be given");
        CairnException.requireArgument(
                prefix.isEmpty() || (prefix.endsWith("/") && !prefix.startsWith("/")),
                "prefix must be empty or a relative key ending in '/', got '" + prefix + "'");
        CairnException.requireArgument(
                accessKeyId.isPresent() == secretAccessKey.isPresent(),
                "accessKeyId and secretAccessKey must be given together");
        CairnException.requireArgument(
                partSize >= MIN_PART_SIZE, "partSize must be at least " + MIN_PART_SIZE + ", got " + partSize);
    }

    /** A bucket on an S3-compatible server at {@code endpoint}, path-style, with static credentials. */
    public static S3Settings compatible(URI endpoint, String bucket, String accessKeyId, String secretAccessKey) {
        return new S3Settings(
                bucket,
                "",
                Optional.of(endpoint),
                "us-east-1",
                Optional.of(accessKeyId),
                Optional.of(secretAccessKey),
                true,
                Path.of(System.getProperty("java.io.tmpdir"), "cairn-s3-spool"),
                DEFAULT_PART_SIZE);
    }

    public S3Settings withPrefix(String newPrefix) {
        return new S3Settings(
                bucket, newPrefix, endpoint, region, accessKeyId, secretAccessKey, pathStyle, spoolDir, partSize);
    }

    public S3Settings withSpoolDir(Path dir) {
        return new S3Settings(bucket, prefix, endpoint, region, accessKeyId, secretAccessKey, pathStyle, dir, partSize);
    }

    public S3Settings withPartSize(long size) {
        return new S3Settings(
                bucket, prefix, endpoint, region, accessKeyId, secretAccessKey, pathStyle, spoolDir, size);
    }
}
