package dev.cairn.bench.data;

import dev.cairn.artifacts.BlobStore;
import dev.cairn.datasets.DatasetVersions;
import dev.cairn.store.Database;
import dev.cairn.store.StoreUrl;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;

/**
 * The dataset benchmark: {@code data add}, deduplication and {@code checkout} throughput next to
 * {@code sha256sum} on the same files, on the 3-million-row flights Parquet file (when present) and
 * on a directory of 10,000 small files made by the benchmark. Every figure is the median of several
 * repeats, each into a fresh store; the page cache is warm for both sides (every file is read once
 * before it is measured), so the figures compare hashing and storing, not the disk. Usage:
 * {@code DataBenchmark --work DIR [--parquet FILE] [--files N] [--repeats N] [--profile-small]}.
 */
public final class DataBenchmark {
    /** Where the flights file is unpacked on the machines the published figures come from. */
    static final Path DEFAULT_PARQUET = Path.of("/work/data-cache/vega-datasets-3.2.1/flights-3m.parquet");

    private final Path work;
    private final int repeats;
    private final List<Row> rows = new ArrayList<>();
    private int stores;

    private DataBenchmark(Path work, int repeats) {
        this.work = work;
        this.repeats = repeats;
    }

    /** One line of the results: a measure, Cairn's seconds, the bytes it covers and sha256sum's seconds. */
    record Row(String measure, long bytes, Samples cairn, Samples sha256sum, String note) {}

    public static void main(String[] args) throws Exception {
        Map<String, String> options = options(args);
        Path work = Files.createDirectories(
                Path.of(options.getOrDefault("--work", "target/data-bench")).toAbsolutePath());
        int repeats = Integer.parseInt(options.getOrDefault("--repeats", "5"));
        int files = Integer.parseInt(options.getOrDefault("--files", "10000"));
        Path parquet = Path.of(options.getOrDefault("--parquet", DEFAULT_PARQUET.toString()));
        DataBenchmark benchmark = new DataBenchmark(work, repeats);
        System.err.printf(
                Locale.ROOT,
                "data benchmark: %d cores, load average %s, %d repeats, work in %s%n",
                Runtime.getRuntime().availableProcessors(),
                Shell.loadAverage(),
                repeats,
                work);
        benchmark.warmUp();
        if (Files.isRegularFile(parquet)) {
            benchmark.singleFile(parquet);
        } else {
            System.err.println("data benchmark: no " + parquet + "; the single-file figures are skipped");
        }
        Path small = SmallFiles.make(work.resolve("small"), files, Files.isRegularFile(parquet) ? parquet : null);
        benchmark.directory(small, options.containsKey("--profile-small"));
        System.out.println();
        System.out.print(benchmark.markdown());
        System.out.printf(Locale.ROOT, "%nLoad average at the end: %s.%n", Shell.loadAverage());
    }

    /** A few adds and checkouts first, so that the measured ones run compiled code. */
    private void warmUp() throws IOException {
        Path dir = SmallFiles.make(work.resolve("warm-up"), 300, null);
        Path oneTable = dir.resolve("part=0/data_0.csv");
        for (int i = 0; i < 3; i++) {
            try (Store store = freshStore()) {
                store.versions().add(new DatasetVersions.AddRequest(dir, "warm", "", false));
                store.versions().checkout("warm", store.root().resolve("out"), false);
                store.versions().add(new DatasetVersions.AddRequest(oneTable, "table", "", true));
            }
        }
    }

    private void singleFile(Path parquet) throws Exception {
        long bytes = Files.size(parquet);
        String name = parquet.getFileName().toString();
        Samples sha = Samples.of(repeats, () -> Shell.run("sha256sum '" + parquet + "' > /dev/null"));
        Samples add = new Samples();
        Samples profiled = new Samples();
        Samples checkout = new Samples();
        for (int i = 0; i < repeats; i++) {
            try (Store store = freshStore()) {
                add.time(() -> store.versions().add(new DatasetVersions.AddRequest(parquet, "flights", "", false)));
                checkout.time(
                        () -> store.versions().checkout("flights", store.root().resolve("out"), false));
            }
            try (Store store = freshStore()) {
                profiled.time(() -> store.versions().add(new DatasetVersions.AddRequest(parquet, "flights", "", true)));
            }
        }
        rows.add(new Row(name + " `data add --no-profile`", bytes, add, sha, "hash + store, durable"));
        rows.add(new Row(name + " `data add` (with DuckDB profile)", bytes, profiled, sha, "profile of 3M rows"));
        rows.add(new Row(name + " `data checkout`", bytes, checkout, sha, "every hash verified, durable"));
    }

    private void directory(Path small, boolean profileSmall) throws Exception {
        List<Path> files;
        try (Stream<Path> walk = Files.walk(small)) {
            files = walk.filter(Files::isRegularFile).sorted().toList();
        }
        long bytes = 0;
        for (Path f : files) {
            bytes += Files.size(f);
        }
        String label = String.format(Locale.ROOT, "%,d small files", files.size());
        Samples sha = Samples.of(
                repeats, () -> Shell.run("find '" + small + "' -type f -print0 | xargs -0 sha256sum > /dev/null"));
        Samples v1 = new Samples();
        Samples v2 = new Samples();
        Samples checkout = new Samples();
        long storedBySecond = 0;
        long bytesOfSecond = 0;
        for (int i = 0; i < repeats; i++) {
            try (Store store = freshStore()) {
                v1.time(() -> store.versions().add(new DatasetVersions.AddRequest(small, "small", "v1", false)));
                Map<Path, byte[]> originals = changeOnePercent(files);
                try {
                    DatasetVersions.AddResult second = v2.time(
                            () -> store.versions().add(new DatasetVersions.AddRequest(small, "small", "v2", false)));
                    storedBySecond = second.bytesStored();
                    bytesOfSecond = second.version().totalBytes();
                    checkout.time(() ->
                            store.versions().checkout("small:2", store.root().resolve("out"), false));
                } finally {
                    for (Map.Entry<Path, byte[]> original : originals.entrySet()) {
                        Files.write(original.getKey(), original.getValue());
                    }
                }
            }
        }
        rows.add(new Row(label + " `data add --no-profile` (v1)", bytes, v1, sha, "hash + store, durable"));
        rows.add(new Row(
                label + " `data add --no-profile` (v2, 1% of files changed)",
                bytesOfSecond,
                v2,
                sha,
                String.format(
                        Locale.ROOT,
                        "stored %,d of %,d bytes: dedup ratio %.4f",
                        storedBySecond,
                        bytesOfSecond,
                        (double) storedBySecond / bytesOfSecond)));
        rows.add(
                new Row(label + " `data checkout` (v2)", bytesOfSecond, checkout, sha, "every hash verified, durable"));
        if (profileSmall) {
            Samples profiled = new Samples();
            try (Store store = freshStore()) {
                profiled.time(() -> store.versions().add(new DatasetVersions.AddRequest(small, "small", "", true)));
            }
            rows.add(new Row(label + " `data add` (DuckDB profile of each CSV)", bytes, profiled, sha, "one run"));
        }
    }

    /** Appends a line to every hundredth file; returns the original contents. */
    private static Map<Path, byte[]> changeOnePercent(List<Path> files) throws IOException {
        Map<Path, byte[]> originals = new LinkedHashMap<>();
        for (int i = 0; i < files.size(); i += 100) {
            Path file = files.get(i);
            originals.put(file, Files.readAllBytes(file));
            Files.writeString(
                    file, "2001-12-31 23:59,0,100,SEA,PDX\n", StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        }
        return originals;
    }

    private Store freshStore() throws IOException {
        Path root = Files.createDirectories(work.resolve("store-" + (++stores)));
        Database db = Database.open(StoreUrl.sqlite(root.resolve("cairn.db")));
        return new Store(root, db, new DatasetVersions(db, BlobStore.local(root.resolve("artifacts"))));
    }

    /** A fresh Cairn home: SQLite metadata and a local blob directory; deleted when closed. */
    private record Store(Path root, Database db, DatasetVersions versions) implements AutoCloseable {
        @Override
        public void close() throws IOException {
            db.close();
            Shell.deleteTree(root);
        }
    }

    String markdown() {
        StringBuilder out = new StringBuilder();
        out.append("| measure | size | Cairn | sha256sum, same files | Cairn / sha256sum | notes |\n");
        out.append("|---|---|---|---|---|---|\n");
        for (Row row : rows) {
            double cairn = row.bytes() / 1e6 / row.cairn().median();
            double sha = row.bytes() / 1e6 / row.sha256sum().median();
            out.append(String.format(
                    Locale.ROOT,
                    "| %s | %.1f MB | %.0f MB/s (%.3f s; %.3f-%.3f) | %.0f MB/s (%.3f s) | %.0f%% | %s |%n",
                    row.measure(),
                    row.bytes() / 1e6,
                    cairn,
                    row.cairn().median(),
                    row.cairn().min(),
                    row.cairn().max(),
                    sha,
                    row.sha256sum().median(),
                    100 * cairn / sha,
                    row.note()));
        }
        out.append(String.format(
                Locale.ROOT,
                "%nMedians of %d runs (range in parentheses), each into a fresh store; sha256sum: `sha256sum FILE`"
                        + " and `find DIR -type f -print0 | xargs -0 sha256sum`, warm page cache.%n",
                repeats));
        return out.toString();
    }

    private static Map<String, String> options(String[] args) {
        Map<String, String> options = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (!arg.startsWith("--")) {
                throw new IllegalArgumentException("unexpected argument '" + arg + "'");
            }
            boolean flag = i + 1 >= args.length || args[i + 1].startsWith("--");
            options.put(arg, flag ? "" : args[++i]);
        }
        return options;
    }

    /** Makes the directory of small files: the flights split into CSV parts, or generated flight-like rows. */
    static final class SmallFiles {
        private SmallFiles() {}

        static Path make(Path dir, int count, Path parquet) throws IOException {
            if (Files.isDirectory(dir)) {
                return dir;
            }
            Path partial = dir.resolveSibling(dir.getFileName() + ".partial");
            Shell.deleteTree(partial);
            Files.createDirectories(partial);
            if (parquet != null) {
                split(parquet, partial, count);
            } else {
                generate(partial, count);
            }
            Files.move(partial, dir);
            return dir;
        }

        /** The real flights, {@code count} CSV files of consecutive rows (about 10 KB each for 10,000). */
        private static void split(Path parquet, Path dir, int count) throws IOException {
            try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
                    Statement s = c.createStatement()) {
                s.execute("COPY (SELECT *, (row_number() OVER () - 1) * " + count
                        + " // (SELECT count(*) FROM read_parquet('" + parquet + "')) AS part FROM read_parquet('"
                        + parquet + "')) TO '" + dir + "' (FORMAT CSV, HEADER, PARTITION_BY (part))");
            } catch (java.sql.SQLException e) {
                throw new IOException("could not split " + parquet + ": " + e.getMessage(), e);
            }
        }

        /** Flight-like CSV rows from a fixed seed, 300 per file. */
        private static void generate(Path dir, int count) throws IOException {
            Random random = new Random(42);
            String[] airports = {"SEA", "PDX", "SFO", "LAX", "ORD", "ATL", "JFK", "DEN", "DFW", "BOS"};
            for (int f = 0; f < count; f++) {
                StringBuilder csv = new StringBuilder("date,delay,distance,origin,destination\n");
                for (int r = 0; r < 300; r++) {
                    csv.append(String.format(
                            Locale.ROOT,
                            "2001-%02d-%02d %02d:%02d,%d,%d,%s,%s%n",
                            1 + random.nextInt(12),
                            1 + random.nextInt(28),
                            random.nextInt(24),
                            random.nextInt(60),
                            random.nextInt(120) - 20,
                            100 + random.nextInt(2500),
                            airports[random.nextInt(airports.length)],
                            airports[random.nextInt(airports.length)]));
                }
                Path part = dir.resolve(String.format(Locale.ROOT, "part=%d/data_0.csv", f));
                Files.createDirectories(part.getParent());
                Files.writeString(part, csv);
            }
        }
    }
}
