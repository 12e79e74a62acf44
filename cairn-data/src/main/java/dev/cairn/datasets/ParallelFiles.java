package dev.cairn.datasets;

import dev.cairn.core.CairnException;
import dev.cairn.core.ErrorCode;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/** Work over many files spread across the cores, and how file read failures are reported. */
final class ParallelFiles {
    private ParallelFiles() {}

    /**
     * Adds and checkouts of many small files wait on file creation in the file system (and on the
     * network for a remote store) far more than on hashing, so they get more threads than there
     * are cores; hashing itself never has more than the cores to run on.
     */
    static final int IO_THREADS = 8;

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
            awaitWorkers(pool);
        }
    }

    /**
     * Waits for work already running after a failure, so that nothing still writes (temporary
     * files, say) once the caller has started to clean up.
     */
    private static void awaitWorkers(ExecutorService pool) {
        try {
            // Interrupted workers stop at their next channel operation; the bound only guards a hung disk.
            pool.awaitTermination(5, TimeUnit.MINUTES);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
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
}
