package dev.cairn.artifacts;

import dev.cairn.core.CairnException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * Opens a blob store named by a location: a directory ({@code /var/cairn/artifacts} or
 * {@code file:///var/cairn/artifacts}) or a bucket ({@code s3://bucket/optional/prefix}). For S3 the
 * endpoint of an S3-compatible server comes from {@code CAIRN_S3_ENDPOINT_URL} (else
 * {@code AWS_ENDPOINT_URL_S3}, {@code AWS_ENDPOINT_URL}; path-style addressing when one is set), the
 * region from {@code AWS_REGION} (default {@code us-east-1}), credentials from
 * {@code AWS_ACCESS_KEY_ID}/{@code AWS_SECRET_ACCESS_KEY} or the SDK's default chain.
 */
final class BlobStoreLocation {
    private BlobStoreLocation() {}

    static BlobStore open(String location, Map<String, String> env) {
        CairnException.requireArgument(
                location != null && !location.isBlank(), "artifact store location must be given");
        if (location.startsWith("s3://")) {
            return BlobStore.s3(s3Settings(location, env));
        }
        if (location.startsWith("file:")) {
            return BlobStore.local(Path.of(uri(location)));
        }
        if (location.matches("^[A-Za-z][A-Za-z0-9+.-]*://.*")) {
            throw CairnException.invalid("Unsupported artifact store location '" + location
                    + "': use a directory, file:///dir or s3://bucket/prefix");
        }
        return BlobStore.local(Path.of(location));
    }

    static S3Settings s3Settings(String location, Map<String, String> env) {
        URI uri = uri(location);
        String bucket = uri.getHost();
        CairnException.requireArgument(
                bucket != null && !bucket.isEmpty(), "S3 location '" + location + "' names no bucket");
        String path = Optional.ofNullable(uri.getPath()).orElse("").replaceFirst("^/+", "");
        String prefix = path.isEmpty() || path.endsWith("/") ? path : path + "/";
        Optional<URI> endpoint = first(env, "CAIRN_S3_ENDPOINT_URL", "AWS_ENDPOINT_URL_S3", "AWS_ENDPOINT_URL")
                .map(BlobStoreLocation::uri);
        Optional<String> key = first(env, "AWS_ACCESS_KEY_ID");
        Optional<String> secret = first(env, "AWS_SECRET_ACCESS_KEY");
        return new S3Settings(
                bucket,
                prefix,
                endpoint,
                first(env, "AWS_REGION", "AWS_DEFAULT_REGION").orElse("us-east-1"),
                key.isPresent() && secret.isPresent() ? key : Optional.empty(),
                key.isPresent() && secret.isPresent() ? secret : Optional.empty(),
                endpoint.isPresent(),
                Path.of(System.getProperty("java.io.tmpdir"), "cairn-s3-spool"),
                S3Settings.DEFAULT_PART_SIZE);
    }

    private static Optional<String> first(Map<String, String> env, String... names) {
        for (String name : names) {
            String value = env.get(name);
            if (value != null && !value.isBlank()) {
                return Optional.of(value);
            }
        }
        return Optional.empty();
    }

    private static URI uri(String text) {
        try {
            return new URI(text);
        } catch (URISyntaxException e) {
            throw CairnException.invalid("Invalid artifact store location '" + text + "': " + e.getReason());
        }
    }
}
