package dev.cairn.artifacts;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Makes many written files durable at once. One fsync costs a journal commit (milliseconds on
 * virtual disks), so a thousand small files synced one by one take seconds. For a large group
 * Linux's {@code syncfs} flushes the whole file system in one call; Java cannot call it directly,
 * so it is reached through coreutils' {@code sync --file-system}. Anywhere that fails, the files
 * are forced on many threads at once, which lets the file system merge their journal commits.
 */
final class FileSync {
    /** From this many files on, one file-system flush is cheaper than forcing each file. */
    static final int SYNCFS_FROM = 64;

    private static final int FORCE_THREADS = 16;
    private static final long SYNCFS_TIMEOUT_SECONDS = 120;
    private static volatile boolean syncfsWorks =
            System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("linux");

    private FileSync() {}

    /** Forces the content and metadata of every file to disk; returns once all are durable. */
    static void files(Collection<Path> files) throws IOException {
        if (files.isEmpty()) {
            return;
        }
        if (files.size() >= SYNCFS_FROM && syncfs(files.iterator().next())) {
            return;
        }
        forceAll(files, true);
    }

    /**
     * Makes the entries of every directory durable (renames and creations in them). Platforms that
     * cannot open a directory lose nothing but the entries themselves on power failure.
     */
    static void directories(Collection<Path> dirs) throws IOException {
        if (dirs.isEmpty()) {
            return;
        }
        if (dirs.size() >= SYNCFS_FROM && syncfs(dirs.iterator().next())) {
            return;
        }
        forceAll(dirs, false);
    }

    private static boolean syncfs(Path anyPathOnTheFileSystem) {
        if (!syncfsWorks) {
            return false;
        }
        try {
            Process sync = new ProcessBuilder("sync", "--file-system", anyPathOnTheFileSystem.toString())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
            if (sync.waitFor(SYNCFS_TIMEOUT_SECONDS, TimeUnit.SECONDS) && sync.exitValue() == 0) {
                return true;
            }
            sync.destroyForcibly();
        } catch (IOException e) {
            // No sync command here: fall through to forcing the files.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
        syncfsWorks = false;
        return false;
    }

    private static void forceAll(Collection<Path> paths, boolean failIfUnopenable) throws IOException {
        inParallel(paths, FORCE_THREADS, path -> force(path, failIfUnopenable));
    }

    /** File work that may fail. */
    @FunctionalInterface
    interface FileAction<T> {
        void apply(T item) throws IOException;
    }

    /** Applies {@code action} to every item on up to {@code threads} threads; returns when all are done. */
    static <T> void inParallel(Collection<T> items, int threads, FileAction<T> action) throws IOException {
        if (items.size() <= 1) {
            for (T item : items) {
                action.apply(item);
            }
            return;
        }
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(threads, items.size()), runnable -> {
            Thread thread = new Thread(runnable, "cairn-file-sync");
            thread.setDaemon(true);
            return thread;
        });
        try {
            List<Future<Void>> futures = new ArrayList<>(items.size());
            for (T item : items) {
                futures.add(pool.submit(() -> {
                    action.apply(item);
                    return null;
                }));
            }
            for (Future<Void> future : futures) {
                future.get();
            }
        } catch (ExecutionException e) {
            throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted during file work", e);
        } finally {
            pool.shutdownNow();
            awaitQuietly(pool);
        }
    }

    /** Lets running work finish, so nothing still touches files once the caller handles a failure. */
    private static void awaitQuietly(ExecutorService pool) {
        try {
            pool.awaitTermination(5, TimeUnit.MINUTES);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void force(Path path, boolean failIfUnopenable) throws IOException {
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            if (failIfUnopenable) {
                throw e instanceof IOException io ? io : new IOException(e);
            }
        }
    }
}
