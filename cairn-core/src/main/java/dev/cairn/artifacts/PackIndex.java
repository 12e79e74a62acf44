package dev.cairn.artifacts;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The index of one pack: where each small blob of the pack lies in it. Small blobs of one batch are
 * appended to a single pack file ({@code <name>.pack}: the 8 bytes {@code CAIRNPK1}, then the blobs
 * back to back) so that storing ten thousand of them costs one file instead of ten thousand. The
 * index ({@code <name>.idx}) is written only after its pack is durable, and a pack without an index
 * is ignored, so a crash mid-pack leaves nothing visible.
 *
 * <p>Index format, version 1, big-endian: the 8 bytes {@code CAIRNIX1}, the entry count (int), the
 * entries sorted by digest (32-byte SHA-256, offset in the pack as a long, length as a long), then
 * the SHA-256 of everything before it, so a damaged index is detected rather than misread.
 */
final class PackIndex {
    static final byte[] PACK_MAGIC = "CAIRNPK1".getBytes(StandardCharsets.US_ASCII);
    static final String PACK_SUFFIX = ".pack";
    static final String INDEX_SUFFIX = ".idx";

    private static final byte[] INDEX_MAGIC = "CAIRNIX1".getBytes(StandardCharsets.US_ASCII);
    private static final int DIGEST = 32;
    private static final int ENTRY = DIGEST + 8 + 8;
    private static final HexFormat HEX = HexFormat.of();

    private final String pack;
    private final byte[] digests;
    private final long[] offsets;
    private final long[] lengths;

    /** A blob inside a pack: its digest, the offset of its first byte and its length. */
    record Entry(String sha256, long offset, long length) {}

    /** Where a packed blob lies: the pack's name, then the blob's offset and length in it. */
    record Location(String pack, long offset, long length) {}

    private PackIndex(String pack, byte[] digests, long[] offsets, long[] lengths) {
        this.pack = pack;
        this.digests = digests;
        this.offsets = offsets;
        this.lengths = lengths;
    }

    /** A fresh pack name, unique across writers: {@code pack-} and 32 hex digits. */
    static String newPackName() {
        return "pack-" + UUID.randomUUID().toString().replace("-", "");
    }

    /** True for names {@link #newPackName} makes, so a listed file name can safely become a key. */
    static boolean isPackName(String name) {
        return name.matches("pack-[0-9a-f]{32}");
    }

    String pack() {
        return pack;
    }

    int size() {
        return offsets.length;
    }

    /** Where the blob lies in this pack, if it is there. */
    Optional<Location> find(byte[] sha256) {
        int low = 0;
        int high = offsets.length - 1;
        while (low <= high) {
            int mid = (low + high) >>> 1;
            int cmp = Arrays.compareUnsigned(digests, mid * DIGEST, (mid + 1) * DIGEST, sha256, 0, DIGEST);
            if (cmp == 0) {
                return Optional.of(new Location(pack, offsets[mid], lengths[mid]));
            }
            if (cmp < 0) {
                low = mid + 1;
            } else {
                high = mid - 1;
            }
        }
        return Optional.empty();
    }

    static byte[] digestBytes(String sha256) {
        return HEX.parseHex(Sha256.requireValid(sha256));
    }

    /** The index of {@code pack} over {@code entries} (distinct digests). */
    static PackIndex of(String pack, Collection<Entry> entries) {
        List<Entry> sorted = entries.stream()
                .sorted((a, b) -> a.sha256().compareTo(b.sha256()))
                .toList();
        byte[] digests = new byte[sorted.size() * DIGEST];
        long[] offsets = new long[sorted.size()];
        long[] lengths = new long[sorted.size()];
        for (int i = 0; i < sorted.size(); i++) {
            Entry e = sorted.get(i);
            System.arraycopy(digestBytes(e.sha256()), 0, digests, i * DIGEST, DIGEST);
            offsets[i] = e.offset();
            lengths[i] = e.length();
        }
        return new PackIndex(pack, digests, offsets, lengths);
    }

    /** This index as the bytes of an index file. */
    byte[] encode() {
        ByteBuffer out = ByteBuffer.allocate(INDEX_MAGIC.length + 4 + size() * ENTRY + DIGEST);
        out.put(INDEX_MAGIC).putInt(size());
        for (int i = 0; i < size(); i++) {
            out.put(digests, i * DIGEST, DIGEST).putLong(offsets[i]).putLong(lengths[i]);
        }
        MessageDigest digest = Sha256.newDigest();
        digest.update(out.array(), 0, out.position());
        out.put(digest.digest());
        return out.array();
    }

    /** Reads an index file of {@code pack}; a file that is not a whole, intact index is refused. */
    static PackIndex decode(String pack, byte[] bytes) throws IOException {
        int header = INDEX_MAGIC.length + 4;
        if (bytes.length < header + DIGEST
                || !Arrays.equals(bytes, 0, INDEX_MAGIC.length, INDEX_MAGIC, 0, INDEX_MAGIC.length)) {
            throw new IOException("pack index " + pack + " is not a Cairn pack index (version 1)");
        }
        MessageDigest digest = Sha256.newDigest();
        digest.update(bytes, 0, bytes.length - DIGEST);
        if (!Arrays.equals(digest.digest(), 0, DIGEST, bytes, bytes.length - DIGEST, bytes.length)) {
            throw new IOException("pack index " + pack + " is damaged: its checksum does not match");
        }
        ByteBuffer in = ByteBuffer.wrap(bytes, INDEX_MAGIC.length, bytes.length - INDEX_MAGIC.length);
        int count = in.getInt();
        if (count < 0 || (long) count * ENTRY != bytes.length - header - DIGEST) {
            throw new IOException("pack index " + pack + " is damaged: " + count + " entries do not fit its size");
        }
        byte[] digests = new byte[count * DIGEST];
        long[] offsets = new long[count];
        long[] lengths = new long[count];
        for (int i = 0; i < count; i++) {
            in.get(digests, i * DIGEST, DIGEST);
            offsets[i] = in.getLong();
            lengths[i] = in.getLong();
            if (offsets[i] < PACK_MAGIC.length || lengths[i] < 0 || lengths[i] > Integer.MAX_VALUE) {
                throw new IOException("pack index " + pack + " is damaged: entry " + i + " is out of bounds");
            }
        }
        return new PackIndex(pack, digests, offsets, lengths);
    }
}
