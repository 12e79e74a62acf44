package dev.cairn.artifacts;

import dev.cairn.core.CairnException;
import dev.cairn.core.ErrorCode;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Blobs in a local directory as {@code sha256/ab/cdef...} (loose) or inside {@code packs/} (small
 * blobs stored by a batch, see {@link PackIndex}); readers find both alike. Writes go through
 * {@code tmp/} in the same tree and are renamed into place. Links inside the tree are never followed.
 */
final class LocalBlobStore implements BlobStore {
    /** Temporary files older than this are left over from killed writers and are swept. */
    private static final Duration STALE_AFTER = Duration.ofDays(1);

    private final Path root;
    private final Path tmp;
    private final Path packsDir;
    private final Packs packs;

    LocalBlobStore(Path root) {
        try {
            Files.createDirectories(root);
            this.root = root.toRealPath();
            this.tmp = this.root.resolve("tmp");
            this.packsDir = this.root.resolve("packs");
            Files.createDirectories(tmp);
            Files.createDirectories(packsDir);
        } catch (IOException e) {
            throw AtomicFiles.failure("could not open the blob store at " + root, e);
        }
        this.packs = new Packs(new PackFiles());
        sweepStaleTempFiles();
        sweepUnindexedPacks();
    }

    @Override
    public BlobRef put(InputStream content) {
        AtomicFiles.Spooled spooled = AtomicFiles.spool(content, tmp);
        try {
            Path target = root.resolve(Sha256.key(spooled.ref().sha256()));
            if (isRegularFile(target)) {
                AtomicFiles.deleteQuietly(spooled.file());
            } else {
                Path dir = target.getParent();
                Files.createDirectories(dir);
                requireNoLinks(dir);
                AtomicFiles.moveIntoPlace(spooled.file(), target);
            }
            return spooled.ref();
        } catch (IOException | RuntimeException e) {
            AtomicFiles.deleteQuietly(spooled.file());
            throw AtomicFiles.failure("could not store blob " + spooled.ref().sha256(), e);
        }
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
                || isRegularFile(blobPath(sha256))
                || packs.findLatest(sha256).isPresent();
    }

    @Override
    public long size(String sha256) {
        Optional<PackIndex.Location> packed = packed(sha256);
        if (packed.isPresent()) {
            return packed.get().length();
        }
        try {
            return Files.readAttributes(blobPath(sha256), BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS)
                    .size();
        } catch (IOException e) {
            throw missing(sha256);
        }
    }

    @Override
    public InputStream open(String sha256) {
        Optional<PackIndex.Location> packed = packed(sha256);
        if (packed.isPresent()) {
            return openPacked(sha256, packed.get());
        }
        try {
            return new VerifyingInputStream(Files.newInputStream(blobPath(sha256), LinkOption.NOFOLLOW_LINKS), sha256);
        } catch (IOException e) {
            throw missing(sha256);
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
        }
    }

    @Override
    public BlobBatch batch() {
        return new LocalBlobBatch(this);
    }

    @Override
    public String toString() {
        return "LocalBlobStore[" + root + "]";
    }

    Path tmp() {
        return tmp;
    }

    Path packsDir() {
        return packsDir;
    }

    Packs packs() {
        return packs;
    }

    /**
     * Where the blob lies in a pack: looked up among the known packs, then, when there is no loose
     * blob either, among packs other writers added since. Empty means the loose blob is there (each
     * file is checked once per read); a blob in neither place is a 404-class error.
     */
    private Optional<PackIndex.Location> packed(String sha256) {
        Optional<PackIndex.Location> found = packs.find(sha256);
        if (found.isPresent() || isRegularFile(blobPath(sha256))) {
            return found;
        }
        return Optional.of(packs.findLatest(sha256).orElseThrow(() -> missing(sha256)));
    }

    /**
     * Reads a packed blob whole (packed blobs are small) and verifies it like a loose one: a pack cut
     * short or altered yields other bytes, which fail verification at the end of the stream.
     */
    private InputStream openPacked(String sha256, PackIndex.Location at) {
        Path pack = packsDir.resolve(at.pack() + PackIndex.PACK_SUFFIX);
        byte[] content = new byte[Math.toIntExact(at.length())];
        int read = 0;
        try (FileChannel channel = FileChannel.open(pack, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
            ByteBuffer buffer = ByteBuffer.wrap(content);
            for (int n = 0; buffer.hasRemaining() && n >= 0; ) {
                n = channel.read(buffer, at.offset() + buffer.position());
            }
            read = buffer.position();
        } catch (NoSuchFileException e) {
            throw new CairnException(
                    ErrorCode.INTERNAL_ERROR,
                    "blob " + sha256 + " is missing: its pack " + pack + " does not exist",
                    e);
        } catch (IOException e) {
            throw AtomicFiles.failure("could not read blob " + sha256 + " from " + pack, e);
        }
        return new VerifyingInputStream(new ByteArrayInputStream(content, 0, read), sha256);
    }

    Path blobPath(String sha256) {
        return root.resolve(Sha256.key(sha256));
    }

    /** True when a complete blob is at {@code path}. */
    boolean hasBlobAt(Path path) {
        return isRegularFile(path);
    }

    /** True only for a regular file reached without crossing a link anywhere below the root. */
    private boolean isRegularFile(Path path) {
        return Files.isRegularFile(path, LinkOption.NOFOLLOW_LINKS) && !hasLinkBelowRoot(path.getParent());
    }

    private boolean hasLinkBelowRoot(Path dir) {
        for (Path p = dir; p != null && p.startsWith(root) && !p.equals(root); p = p.getParent()) {
            if (Files.isSymbolicLink(p)) {
                return true;
            }
        }
        return false;
    }

    void requireNoLinks(Path dir) {
        if (hasLinkBelowRoot(dir)) {
            throw new CairnException(
                    ErrorCode.INTERNAL_ERROR, "blob store directory " + dir + " is a link; refusing to follow it");
        }
    }

    private static CairnException missing(String sha256) {
        return CairnException.notFound("blob " + sha256 + " does not exist");
    }

    /** The pack files of this directory, listed and read without following links. */
    private final class PackFiles implements Packs.Source {
        @Override
        public List<String> indexedPacks() throws IOException {
            requireNoLinks(packsDir);
            List<String> names = new ArrayList<>();
            try (DirectoryStream<Path> entries = Files.newDirectoryStream(packsDir, "*" + PackIndex.INDEX_SUFFIX)) {
                for (Path entry : entries) {
                    String name = packName(entry, PackIndex.INDEX_SUFFIX);
                    if (PackIndex.isPackName(name) && Files.isRegularFile(entry, LinkOption.NOFOLLOW_LINKS)) {
                        names.add(name);
                    }
                }
            }
            return names;
        }

        @Override
        public byte[] readIndex(String pack) throws IOException {
            Path index = packsDir.resolve(pack + PackIndex.INDEX_SUFFIX);
            try (InputStream in = Files.newInputStream(index, LinkOption.NOFOLLOW_LINKS)) {
                return in.readAllBytes();
            }
        }

        @Override
        public String indexLocation(String pack) {
            return packsDir.resolve(pack + PackIndex.INDEX_SUFFIX).toString();
        }
    }

    private static String packName(Path file, String suffix) {
        String name = file.getFileName().toString();
        return name.substring(0, name.length() - suffix.length());
    }

    /** Removes packs a killed writer left without an index: nothing refers to them. */
    private void sweepUnindexedPacks() {
        Instant cutoff = Instant.now().minus(STALE_AFTER);
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(packsDir, "*" + PackIndex.PACK_SUFFIX)) {
            for (Path entry : entries) {
                Path index = packsDir.resolve(packName(entry, PackIndex.PACK_SUFFIX) + PackIndex.INDEX_SUFFIX);
                if (!Files.exists(index, LinkOption.NOFOLLOW_LINKS)
                        && Files.getLastModifiedTime(entry, LinkOption.NOFOLLOW_LINKS)
                                .toInstant()
                                .isBefore(cutoff)) {
                    AtomicFiles.deleteQuietly(entry);
                }
            }
        } catch (IOException ignored) {
            // Sweeping is housekeeping; a pack without an index is never read.
        }
    }

    private void sweepStaleTempFiles() {
        Instant cutoff = Instant.now().minus(STALE_AFTER);
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(tmp, "*" + AtomicFiles.TEMP_SUFFIX)) {
            for (Path entry : entries) {
                if (Files.getLastModifiedTime(entry, LinkOption.NOFOLLOW_LINKS)
                        .toInstant()
                        .isBefore(cutoff)) {
                    AtomicFiles.deleteQuietly(entry);
                }
            }
        } catch (IOException ignored) {
            // Sweeping is housekeeping; stale files never affect correctness.
        }
    }
}
