package dev.cairn.artifacts;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;

/** Looks at and damages the blobs of a local store behind its back, loose or packed, for tests. */
public final class StoredBlobs {
    private StoredBlobs() {}

    /** Flips one bit in the middle of a stored blob, wherever the store keeps it. */
    public static void flipMiddleBit(Path root, String sha256) {
        try {
            Optional<PackIndex.Location> packed = packed(root, sha256);
            Path file = packed.map(at -> root.resolve("packs/" + at.pack() + PackIndex.PACK_SUFFIX))
                    .orElse(root.resolve(Sha256.key(sha256)));
            long position = packed.map(at -> at.offset() + at.length() / 2).orElse(Files.size(file) / 2);
            try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
                ByteBuffer one = ByteBuffer.allocate(1);
                channel.read(one, position);
                one.put(0, (byte) (one.get(0) ^ 1)).rewind();
                channel.write(one, position);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** True when the blob lies in a pack of the store (rather than in a file of its own). */
    public static boolean isPacked(Path root, String sha256) {
        try {
            return packed(root, sha256).isPresent();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Optional<PackIndex.Location> packed(Path root, String sha256) throws IOException {
        Path packs = root.resolve("packs");
        if (!Files.isDirectory(packs)) {
            return Optional.empty();
        }
        try (DirectoryStream<Path> indexes = Files.newDirectoryStream(packs, "*" + PackIndex.INDEX_SUFFIX)) {
            for (Path index : indexes) {
                String name = index.getFileName().toString();
                String pack = name.substring(0, name.length() - PackIndex.INDEX_SUFFIX.length());
                Optional<PackIndex.Location> found =
                        PackIndex.decode(pack, Files.readAllBytes(index)).find(PackIndex.digestBytes(sha256));
                if (found.isPresent()) {
                    return found;
                }
            }
        }
        return Optional.empty();
    }
}
