package dev.cairn.artifacts;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Appends small blobs to a new pack file. Each append reserves its range first and then writes it
 * at that position, so appends from many threads proceed at once. For a durable pack the directory
 * entry is flushed in the background as soon as the file exists, and its content every
 * {@link #FLUSH_EVERY} bytes, so the disk writes while the next files are read and hashed; the final
 * flush, which a batch joins to the flush of its other files before it publishes the pack's index,
 * only waits for the tail.
 */
final class PackWriter implements AutoCloseable {
    static final long FLUSH_EVERY = 8L << 20;

    private final String name;
    private final Path file;
    private final FileChannel channel;
    private final AtomicLong end = new AtomicLong(PackIndex.PACK_MAGIC.length);
    private final ConcurrentLinkedQueue<PackIndex.Entry> entries = new ConcurrentLinkedQueue<>();
    private final boolean durable;
    private final AtomicBoolean flushing = new AtomicBoolean();
    private final Object flushed = new Object();
    private volatile boolean entryDurable;

    /** The identity of the file this writer created, where the file system has one. */
    private final Object fileKey;

    /** The file's size when the channel was closed, or -1 while it is open. */
    private volatile long closedSize = -1;

    private PackWriter(String name, Path file, FileChannel channel, boolean durable, Object fileKey) {
        this.name = name;
        this.file = file;
        this.channel = channel;
        this.durable = durable;
        this.fileKey = fileKey;
    }

    /** Creates the pack file {@code name + ".pack"} in {@code dir}, flushed as it grows; it must not exist. */
    static PackWriter create(Path dir, String name) throws IOException {
        return create(dir, name, true);
    }

    /** A pack that is uploaded and deleted, never flushed to the local disk. */
    static PackWriter spool(Path dir, String name) throws IOException {
        return create(dir, name, false);
    }

    private static PackWriter create(Path dir, String name, boolean durable) throws IOException {
        Path file = dir.resolve(name + PackIndex.PACK_SUFFIX);
        FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        Object fileKey;
        try {
            writeAt(channel, PackIndex.PACK_MAGIC, PackIndex.PACK_MAGIC.length, 0);
            fileKey = attributes(file).fileKey();
        } catch (IOException e) {
            channel.close();
            throw e;
        }
        PackWriter writer = new PackWriter(name, file, channel, durable, fileKey);
        if (durable) {
            writer.inBackground(() -> {
                FileSync.directories(List.of(dir));
                writer.entryDurable = true;
            });
        }
        return writer;
    }

    String name() {
        return name;
    }

    Path file() {
        return file;
    }

    /** Appends a blob whose digest the caller computed over exactly these bytes. */
    void append(String sha256, byte[] content, int length) throws IOException {
        long at = end.getAndAdd(length);
        writeAt(channel, content, length, at);
        entries.add(new PackIndex.Entry(sha256, at, length));
        if (durable && at / FLUSH_EVERY != (at + length) / FLUSH_EVERY) {
            inBackground(() -> channel.force(false));
        }
    }

    /** Disk work that may fail. */
    @FunctionalInterface
    private interface Flush {
        void run() throws IOException;
    }

    /** Starts a flush on its own thread, unless one is already under way. */
    private void inBackground(Flush flush) {
        if (!flushing.compareAndSet(false, true)) {
            return;
        }
        Thread flusher = new Thread(
                () -> {
                    try {
                        flush.run();
                    } catch (IOException ignored) {
                        // Only a head start: settle() and the final flush redo it and report failures.
                    } finally {
                        synchronized (flushed) {
                            flushing.set(false);
                            flushed.notifyAll();
                        }
                    }
                },
                "cairn-pack-flush");
        flusher.setDaemon(true);
        flusher.start();
    }

    boolean isEmpty() {
        return entries.isEmpty();
    }

    /** The pack's size in bytes once every append has returned. */
    long size() {
        return end.get();
    }

    List<PackIndex.Entry> entries() {
        return List.copyOf(entries);
    }

    /**
     * Waits for the background flushes and makes sure the pack's directory entry is durable; the
     * content still needs its final flush (a forced file: {@link StagedFiles#forceAtPublish}).
     */
    void settle() throws IOException {
        synchronized (flushed) {
            while (flushing.get()) {
                try {
                    flushed.wait();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted while flushing pack " + file, e);
                }
            }
        }
        if (!entryDurable) {
            FileSync.directories(List.of(file.getParent()));
            entryDurable = true;
        }
    }

    /**
     * Fails unless the pack file is still the one this writer created, with every byte written:
     * another process may have deleted it (as a stale unindexed pack) or put another in its place.
     */
    void requireInPlace() throws IOException {
        long written = channel.isOpen() ? channel.size() : closedSize;
        BasicFileAttributes now;
        try {
            now = attributes(file);
        } catch (NoSuchFileException e) {
            throw new IOException("pack " + file + " was deleted before its index was written", e);
        }
        if (!now.isRegularFile()
                || (fileKey != null && !Objects.equals(fileKey, now.fileKey()))
                || now.size() != written) {
            throw new IOException("pack " + file + " was replaced before its index was written (expected " + written
                    + " bytes, found " + now.size() + ")");
        }
    }

    private static BasicFileAttributes attributes(Path file) throws IOException {
        return Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    }

    @Override
    public void close() throws IOException {
        try {
            if (channel.isOpen()) {
                closedSize = channel.size();
            }
        } finally {
            channel.close();
        }
    }

    /** Closes the pack and deletes its file: for a pack that will never be indexed. */
    void discard() {
        try {
            close();
        } catch (IOException ignored) {
            // The file is deleted next; an unindexed pack is never read anyway.
        }
        AtomicFiles.deleteQuietly(file());
    }

    private static void writeAt(FileChannel channel, byte[] content, int length, long position) throws IOException {
        ByteBuffer bytes = ByteBuffer.wrap(content, 0, length);
        while (bytes.hasRemaining()) {
            channel.write(bytes, position + bytes.position());
        }
    }
}
