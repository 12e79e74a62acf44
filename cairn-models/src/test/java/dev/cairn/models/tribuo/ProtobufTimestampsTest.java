package dev.cairn.models.tribuo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.UnknownFieldSet;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ProtobufTimestampsTest {
    /**
     * Two trainings at different instants: their timestamps print with different numbers of fraction
     * digits, so a rewrite that keeps each one's length would still tell them apart.
     */
    @Test
    void timestampsOfAnyPrecisionAndDepthBecomeTheSameBytes() throws Exception {
        byte[] first = model("2026-11-24T05:58:12.123456789Z", "2026-11-24T05:58:12.5+01:00");
        byte[] second = model("2026-11-24T06:01:07.120Z", "2026-11-24T06:01Z");

        assertThat(first).isNotEqualTo(second);
        assertThat(ProtobufTimestamps.atEpoch(first)).isEqualTo(ProtobufTimestamps.atEpoch(second));
        assertThat(new String(ProtobufTimestamps.atEpoch(first), StandardCharsets.ISO_8859_1))
                .contains("1970-01-01T00:00:00Z", "weights", "trained by 1970-01-01T00:00:00Z")
                .doesNotContain("2026");
    }

    @Test
    void aMessageWithoutTimestampsIsLeftByteForByte() throws Exception {
        byte[] plain = message(1, ByteString.copyFromUtf8("no time here"), nested(2, "weights"))
                .toByteArray();

        assertThat(ProtobufTimestamps.atEpoch(plain)).isEqualTo(plain);
    }

    @Test
    void bytesThatAreNotAProtobufAreRefused() {
        assertThatThrownBy(() -> ProtobufTimestamps.atEpoch(new byte[] {(byte) 0xFF, (byte) 0xFF}))
                .isInstanceOf(InvalidProtocolBufferException.class);
    }

    /** A model-like message: a provenance nested two levels down, a note with a time inside it, and data. */
    private static byte[] model(String trained, String created) {
        UnknownFieldSet provenance =
                message(1, ByteString.copyFromUtf8(trained), nested(2, created).toByteString());
        UnknownFieldSet data = message(
                1,
                provenance.toByteString(),
                ByteString.copyFromUtf8("trained by " + trained),
                nested(3, "weights").toByteString());
        return message(7, data.toByteString()).toByteArray();
    }

    private static UnknownFieldSet nested(int number, String text) {
        return message(number, ByteString.copyFromUtf8(text));
    }

    private static UnknownFieldSet message(int number, ByteString... values) {
        UnknownFieldSet.Field.Builder field = UnknownFieldSet.Field.newBuilder();
        for (ByteString value : values) {
            field.addLengthDelimited(value);
        }
        return UnknownFieldSet.newBuilder()
                .addField(number, field.addVarint(42).build())
                .build();
    }

    private static UnknownFieldSet message(int number, ByteString first, UnknownFieldSet second) {
        return message(number, first, second.toByteString());
    }
}
