package dev.cairn.server.artifacts;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.server.HttpCalls;
import dev.cairn.server.ServerConfig;
import dev.cairn.store.TestDatabases;
import java.io.ByteArrayInputStream;
import java.net.http.HttpRequest;
import org.junit.jupiter.api.Test;

/** Uploads beyond the server's limit are refused with 413, whether announced or streamed, and leave nothing. */
class ArtifactUploadLimitTest extends ArtifactHttpContract {
    private static final int LIMIT = 1000;

    @Override
    TestDatabases.Kind kind() {
        return TestDatabases.Kind.SQLITE;
    }

    @Override
    ServerConfig.Builder config() {
        return super.config().maxUploadBytes(LIMIT);
    }

    @Override
    void aLargeUploadStreamsThroughAndDownloadsIdentically() {
        // Covered by the unlimited servers; this one refuses anything over a kilobyte.
    }

    @Override
    void logArtifactThenDownloadIsByteIdentical() {}

    @Override
    void aCorruptedBlobIsNeverDeliveredWhole() {}

    @Test
    void anUploadOverTheLimitIsRefusedWith413AndRecordsNothing() {
        HttpCalls.Answer announced =
                answer(put(root + "/big.bin", HttpRequest.BodyPublishers.ofByteArray(new byte[LIMIT + 1])));
        assertThat(announced.status()).isEqualTo(413);
        assertThat(announced.json().get("error_code").asText()).isEqualTo("REQUEST_ENTITY_TOO_LARGE");

        HttpCalls.Answer streamed = answer(put(
                root + "/big.bin",
                HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(new byte[LIMIT * 50]))));
        assertThat(streamed.status()).isEqualTo(413);

        assertThat(put(root + "/small.bin", HttpRequest.BodyPublishers.ofByteArray(new byte[LIMIT]))
                        .statusCode())
                .isEqualTo(200);
        assertThat(listProxy(root).get("files")).hasSize(1);
    }
}
