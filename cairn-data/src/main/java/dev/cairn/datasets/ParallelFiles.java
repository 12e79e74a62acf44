package dev.cairn.datasets;

import dev.cairn.core.CairnException;
import dev.cairn.core.ErrorCode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;

/** Work over many files spread across the cores, and the streaming SHA-256 of one file. */
final class ParallelFiles {
    /** Large reads keep the digest fed; 1 MiB is past the point where bigger stops helping. */
    static final int BUFFER = 1 << 20;

    private static final ThreadLocal<byte[]> BUFFERS = ThreadLocal.withInitial(() -> new byte[BUFFER]);

    private ParallelFiles() {}

    /**
     * Writers into the blob store and checkouts wait on fsync and renames far more than on the CPU,
     * so they get more threads than there are cores.
     */
    static final int IO_THREADS = 8;

    static int cpuThreads() {
        return Math.max(2, Runtime.getRuntime().availableProcessors());
    }

    /** Applies {@code work} to every item on {@code threads} threads; the first failure stops the rest. */
    static <T, R> List<R> map(List<T> items, int threads, Function<T, R> work) {
        if (items.size() <= 1) {
            return items.stream().map(work).toList();
        }
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(threads, items.size()), runnable -> {
            Thread thread = new Thread(runnable, "cairn-files");
            thread.setDaemon(true);
            return thread;
        });
        try {
            List<Future<R>> futures = new ArrayList<>(items.size());
            for (T item : items) {
                futures.add(pool.submit(() -> work.apply(item)));
            }
            List<R> results = new ArrayList<>(items.size());
            for (Future<R> future : futures) {
                results.add(future.get());
            }
            return results;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new CairnException(ErrorCode.INTERNAL_ERROR, String.valueOf(e.getCause()), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CairnException(ErrorCode.INTERNAL_ERROR, "interrupted", e);
        } finally {
            pool.shutdownNow();
        }
    }

    /** Streams {@code file} through SHA-256; read failures name {@code displayPath}. */
    static ManifestEntry hash(Path file, String displayPath) {
        MessageDigest digest = sha256();
        byte[] buffer = BUFFERS.get();
        long size = 0;
        try (InputStream in = Files.newInputStream(file)) {
            for (int n; (n = in.read(buffer)) > 0; ) {
                digest.update(buffer, 0, n);
                size += n;
            }
        } catch (IOException e) {
            throw readFailure(displayPath, e);
        }
        return new ManifestEntry(displayPath, HexFormat.of().formatHex(digest.digest()), size);
    }

    static CairnException readFailure(String displayPath, Exception e) {
        if (e instanceof NoSuchFileException) {
            return CairnException.notFound("file '" + displayPath + "' does not exist (removed while being read?)");
        }
        if (e instanceof AccessDeniedException) {
            return CairnException.invalid("file '" + displayPath + "' is not readable: permission denied");
        }
        return CairnException.invalid("file '" + displayPath + "' could not be read: " + e.getMessage());
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM ships SHA-256", e);
        }
    }
}
