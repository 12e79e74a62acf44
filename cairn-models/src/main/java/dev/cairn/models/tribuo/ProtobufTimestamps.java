package dev.cairn.models.tribuo;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.UnknownFieldSet;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Sets every ISO-8601 timestamp in a serialized protobuf to the epoch, whatever message types it
 * holds: Tribuo's model protobufs keep the provenance (training time, data source creation time)
 * inside {@code Any} payloads, so the message is read without a schema. Timestamps are written
 * with 0 to 9 fraction digits depending on their value, so the rewritten timestamp is one fixed
 * string and every enclosing length is written anew: two trainings that learnt the same thing give
 * the same bytes.
 */
final class ProtobufTimestamps {
    private static final Pattern TIMESTAMP =
            Pattern.compile("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}(:\\d{2}(\\.\\d{1,9})?)?(Z|[+-]\\d{2}:\\d{2})");
    private static final String EPOCH = "1970-01-01T00:00:00Z";

    private ProtobufTimestamps() {}

    /** {@code serialized} with its timestamps at the epoch; not a protobuf message is an error. */
    static byte[] atEpoch(byte[] serialized) throws InvalidProtocolBufferException {
        return atEpoch(UnknownFieldSet.parseFrom(serialized)).toByteArray();
    }

    private static UnknownFieldSet atEpoch(UnknownFieldSet message) {
        UnknownFieldSet.Builder out = UnknownFieldSet.newBuilder();
        for (Map.Entry<Integer, UnknownFieldSet.Field> entry : message.asMap().entrySet()) {
            UnknownFieldSet.Field field = entry.getValue();
            UnknownFieldSet.Field.Builder copy = UnknownFieldSet.Field.newBuilder();
            field.getVarintList().forEach(copy::addVarint);
            field.getFixed32List().forEach(copy::addFixed32);
            field.getFixed64List().forEach(copy::addFixed64);
            field.getGroupList().forEach(group -> copy.addGroup(atEpoch(group)));
            field.getLengthDelimitedList().forEach(value -> copy.addLengthDelimited(atEpoch(value)));
            out.addField(entry.getKey(), copy.build());
        }
        return out.build();
    }

    /**
     * A length-delimited value: a nested message (one that reads back to the same bytes) is
     * rewritten field by field; anything else is text or binary, whose timestamps are replaced.
     */
    private static ByteString atEpoch(ByteString value) {
        String text = value.toString(StandardCharsets.ISO_8859_1);
        Matcher timestamps = TIMESTAMP.matcher(text);
        if (timestamps.matches()) {
            return ByteString.copyFromUtf8(EPOCH);
        }
        try {
            UnknownFieldSet nested = UnknownFieldSet.parseFrom(value);
            if (nested.toByteString().equals(value)) {
                return atEpoch(nested).toByteString();
            }
        } catch (InvalidProtocolBufferException e) {
            // not a message: text or binary
        }
        return timestamps.find()
                ? ByteString.copyFrom(timestamps.replaceAll(EPOCH), StandardCharsets.ISO_8859_1)
                : value;
    }
}
