package dev.cairn.datasets;

import dev.cairn.artifacts.BlobStore;
import dev.cairn.store.Database;
import dev.cairn.store.TestDatabases;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * Ingest, deduplication and checkout throughput next to {@code sha256sum} on the same files. Not
 * a test: run {@code main FLIGHTS_PARQUET WORK_DIR} and read the figures. The page cache is warm
 * for every measurement (each is preceded by a read of the same files), so the figures compare
 * hashing and storing, not the disk.
 */
public final class IngestBenchmark {
    private IngestBenchmark() {}

    public static void main(String[] args) throws Exception {
        Path parquet = Path.of(args[0]).toAbsolutePath();
        Path work = Files.createDirectories(Path.of(args[1]).toAbsolutePath());
        Path small = work.resolve("small");
        if (!Files.exists(small)) {
            split(parquet, small);
        }
        try (Database db = TestDatabases.sqlite(Files.createDirectories(work.resolve("db-" + System.nanoTime())))) {
            DatasetVersions versions =
                    new DatasetVersions(db, BlobStore.local(work.resolve("blobs-" + System.nanoTime())));
            single(versions, parquet, work);
            directory(versions, small, work);
        }
    }

    private static void single(DatasetVersions versions, Path parquet, Path work) throws Exception {
        long bytes = Files.size(parquet);
        double sha = bestOf(3, () -> command("sha256sum", parquet.toString()));
        double hash = bestOf(3, () -> ParallelFiles.hash(parquet, "x"));
        report("flights-3m.parquet sha256sum", bytes, sha);
        report("flights-3m.parquet Cairn hash", bytes, hash);
        long t0 = System.nanoTime();
        versions.add(new DatasetVersions.AddRequest(parquet, "flights3m-noprofile", "", false));
        report("flights-3m.parquet add (hash + store)", bytes, seconds(t0));
        t0 = System.nanoTime();
        versions.add(new DatasetVersions.AddRequest(parquet, "flights3m", "", true));
        report("flights-3m.parquet add again + profile (deduplicated)", bytes, seconds(t0));
        Path out = work.resolve("checkout-3m-" + System.nanoTime());
        t0 = System.nanoTime();
        versions.checkout("flights3m", out, false);
        report("flights-3m.parquet checkout (verified)", bytes, seconds(t0));
    }

    private static void directory(DatasetVersions versions, Path small, Path work) throws Exception {
        List<Path> files;
        try (Stream<Path> walk = Files.walk(small)) {
            files = walk.filter(Files::isRegularFile).sorted().toList();
        }
        long bytes = 0;
        for (Path f : files) {
            bytes += Files.size(f);
        }
        System.out.printf(Locale.ROOT, "%d small files, %.1f MB%n", files.size(), bytes / 1e6);
        double sha =
                bestOf(3, () -> shell("cd '" + small + "' && find . -type f -print0 | xargs -0 sha256sum > /dev/null"));
        double sha2 = bestOf(
                3,
                () -> shell(
                        "cd '" + small + "' && find . -type f -print0 | xargs -0 -P2 -n 2500 sha256sum > /dev/null"));
        report("10k files sha256sum (1 process)", bytes, sha);
        report("10k files sha256sum (2 processes)", bytes, sha2);
        double hash =
                bestOf(3, () -> ParallelFiles.map(files, ParallelFiles.cpuThreads(), f -> ParallelFiles.hash(f, "x")));
        report("10k files Cairn hash (parallel)", bytes, hash);
        long t0 = System.nanoTime();
        DatasetVersions.AddResult v1 = versions.add(new DatasetVersions.AddRequest(small, "small", "v1", false));
        report("10k files add v1 (hash + store, no profile)", bytes, seconds(t0));
        for (int i = 0; i < files.size(); i += 100) {
            Files.writeString(
                    files.get(i), "changed\n", StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.APPEND);
        }
        t0 = System.nanoTime();
        DatasetVersions.AddResult v2 = versions.add(new DatasetVersions.AddRequest(small, "small", "v2", false));
        double s2 = seconds(t0);
        report("10k files add v2 (1% changed)", v2.version().totalBytes(), s2);
        long logical = v1.version().totalBytes() + v2.version().totalBytes();
        long physical = v1.bytesStored() + v2.bytesStored();
        System.out.printf(
                Locale.ROOT,
                "  dedup: v2 stored %d bytes of %d (%.2f%%); two versions %.1f MB logical in %.1f MB stored (ratio %.2f)%n",
                v2.bytesStored(),
                v2.version().totalBytes(),
                100.0 * v2.bytesStored() / v2.version().totalBytes(),
                logical / 1e6,
                physical / 1e6,
                (double) logical / physical);
        Path out = work.resolve("checkout-small-" + System.nanoTime());
        t0 = System.nanoTime();
        versions.checkout("small:2", out, false);
        report("10k files checkout v2 (verified)", v2.version().totalBytes(), seconds(t0));
        t0 = System.nanoTime();
        versions.add(new DatasetVersions.AddRequest(small, "small-profiled", "", true));
        report("10k files add with DuckDB profiles", bytes, seconds(t0));
    }

    /** Splits the 3M flights into 10,000 CSV files of 300 rows, partitioned by row number. */
    private static void split(Path parquet, Path dir) throws Exception {
        Files.createDirectories(dir);
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
                Statement s = c.createStatement()) {
            s.execute("COPY (SELECT *, (row_number() OVER () - 1) // 300 AS part FROM read_parquet('" + parquet
                    + "')) TO '" + dir + "' (FORMAT CSV, HEADER, PARTITION_BY (part))");
        }
    }

    interface Work {
        void run() throws Exception;
    }

    private static double bestOf(int times, Work work) throws Exception {
        double best = Double.MAX_VALUE;
        for (int i = 0; i < times; i++) {
            long t0 = System.nanoTime();
            work.run();
            best = Math.min(best, seconds(t0));
        }
        return best;
    }

    private static double seconds(long t0) {
        return (System.nanoTime() - t0) / 1e9;
    }

    private static void report(String label, long bytes, double seconds) {
        System.out.printf(Locale.ROOT, "  %-55s %8.3f s %9.1f MB/s%n", label, seconds, bytes / 1e6 / seconds);
    }

    private static void command(String... command) throws IOException, InterruptedException {
        List<String> list = new ArrayList<>(List.of(command));
        Process p = new ProcessBuilder(list)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        if (p.waitFor() != 0) {
            throw new IOException(String.join(" ", command) + " failed");
        }
    }

    private static void shell(String script) throws IOException, InterruptedException {
        command("sh", "-c", script);
    }
}
