package dev.cairn.artifacts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.core.CairnException;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BlobStoreLocationTest {
    @TempDir
    Path dir;

    @Test
    void aDirectoryOrFileUriIsALocalStore() {
        BlobStore plain = BlobStoreLocation.open(dir.resolve("a").toString(), Map.of());
        BlobStore uri = BlobStoreLocation.open(dir.resolve("b").toUri().toString(), Map.of());
        plain.put(BlobStoreContract.stream("abc"));
        uri.put(BlobStoreContract.stream("abc"));
        assertThat(dir.resolve("a/sha256/ba")).isDirectory();
        assertThat(dir.resolve("b/sha256/ba")).isDirectory();
    }

    @Test
    void anS3LocationWithoutEndpointIsVirtualHostedAws() {
        S3Settings settings = BlobStoreLocation.s3Settings("s3://my-bucket", Map.of("AWS_REGION", "eu-west-1"));
        assertThat(settings.bucket()).isEqualTo("my-bucket");
        assertThat(settings.prefix()).isEmpty();
        assertThat(settings.endpoint()).isEmpty();
        assertThat(settings.pathStyle()).isFalse();
        assertThat(settings.region()).isEqualTo("eu-west-1");
        assertThat(settings.accessKeyId()).isEmpty();
    }

    @Test
    void unknownSchemesAreRejected() {
        assertThatThrownBy(() -> BlobStoreLocation.open("gs://bucket", Map.of()))
                .isInstanceOf(CairnException.class)
                .hasMessageContaining("gs://bucket");
        assertThatThrownBy(() -> BlobStoreLocation.open("s3:///nobucket", Map.of()))
                .isInstanceOf(CairnException.class);
    }
}
