package dev.cairn.serving;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.models.Tensor;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class InferenceRequestTest {
    private static final List<Tensor> ROW = List.of(Tensor.ofFloats("x", new float[] {1f}, 1));

    @Test
    void aClientIdIsKept() {
        assertThat(new InferenceRequest("abc", "m", "", ROW, List.of()).id()).isEqualTo("abc");
    }

    /** The inference log indexes request ids: new ones must sort by time so that they append to it. */
    @Test
    void newIdsAreTimeOrderedVersion7UuidsThatSortByTheirMillisecond() throws InterruptedException {
        var ids = new ArrayList<String>();
        long before = System.currentTimeMillis();
        for (int i = 0; i < 50; i++) {
            ids.add(InferenceRequest.of("m", ROW).id());
            if (i % 10 == 9) {
                Thread.sleep(2);
            }
        }
        long after = System.currentTimeMillis();
        assertThat(new HashSet<>(ids)).hasSize(ids.size());
        long previousMillis = 0;
        String previousId = "";
        for (String id : ids) {
            UUID uuid = UUID.fromString(id);
            assertThat(uuid.version()).isEqualTo(7);
            assertThat(uuid.variant()).isEqualTo(2);
            long millis = uuid.getMostSignificantBits() >>> 16;
            assertThat(millis).isBetween(before, after).isGreaterThanOrEqualTo(previousMillis);
            if (millis > previousMillis) {
                // ids of a later millisecond sort after every earlier one, as text too
                assertThat(id).isGreaterThan(previousId);
            }
            previousMillis = millis;
            previousId = id;
        }
        assertThat(UUID.fromString(ids.get(ids.size() - 1)).getMostSignificantBits() >>> 16)
                .isGreaterThan(UUID.fromString(ids.get(0)).getMostSignificantBits() >>> 16);
    }
}
