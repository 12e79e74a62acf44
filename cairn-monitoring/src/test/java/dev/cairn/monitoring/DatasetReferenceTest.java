package dev.cairn.monitoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cairn.artifacts.BlobStore;
import dev.cairn.core.CairnException;
import dev.cairn.core.ErrorCode;
import dev.cairn.datasets.DatasetVersion;
import dev.cairn.datasets.DatasetVersions;
import dev.cairn.lineage.Direction;
import dev.cairn.lineage.EdgeType;
import dev.cairn.lineage.LineageEdge;
import dev.cairn.lineage.LineageStore;
import dev.cairn.lineage.LineageUri;
import dev.cairn.monitoring.MonitorsTest.Flight;
import dev.cairn.serving.InferenceLog;
import dev.cairn.serving.ServingConfig;
import dev.cairn.store.Database;
import dev.cairn.store.TestDatabases;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Monitors whose reference is a dataset version, {@code cairn-dataset:/NAME/VERSION[/FILE]}. */
class DatasetReferenceTest {
    @TempDir
    Path dir;

    private Path cache() {
        return dir.resolve("home/cache/dataset-references");
    }

    private Path artifacts() {
        return dir.resolve("home/artifacts");
    }

    private ReferenceDatasets datasets(BlobStore blobs) {
        return ReferenceDatasets.inHome(blobs, dir.resolve("home"));
    }

    @ParameterizedTest
    @EnumSource(TestDatabases.Kind.class)
    void aMonitorOnADatasetVersionMeasuresDriftAgainstItAndRecordsLineage(TestDatabases.Kind kind) throws Exception {
        List<Flight> flights = MonitorsTest.flights();
        List<Flight> january = month(flights, "2001-01");
        List<Flight> june = month(flights, "2001-06");
        List<Flight> reference = new ArrayList<>();
        List<Flight> current = new ArrayList<>();
        for (int i = 0; i < january.size(); i++) {
            (i % 2 == 0 ? reference : current).add(january.get(i));
        }
        BlobStore blobs = BlobStore.local(artifacts());
        try (Database db = kind.open()) {
            DatasetVersions versions = new DatasetVersions(db, blobs);
            DatasetVersion v1 = add(versions, "training", table("train.csv", reference));
            // A later version of the same dataset that looks like the drifted month: the monitor must not read it.
            add(versions, "training", table("train.csv", shifted(june)));
            try (InferenceLog log = InferenceLog.open(db, ServingConfig.defaults())) {
                MonitorsTest.write(log, "w1-", current, MonitorsTest.T0, 0, 1);
                MonitorsTest.write(log, "w2-", june, MonitorsTest.T0.plus(MonitorsTest.HOUR), 60, 1.5);
                log.flush(30_000);
            }
            Path cached;
            FileTime checkedOut;
            try (Monitors monitors = Monitors.open(db, datasets(blobs))) {
                monitors.create(spec("training-drift", "cairn-dataset:/training/1"));

                MonitorResult w1 = monitors.run("training-drift", MonitorsTest.T0.plus(MonitorsTest.HOUR));
                MonitorResult w2 =
                        monitors.run("training-drift", MonitorsTest.T0.plus(MonitorsTest.HOUR.multipliedBy(2)));
                assertThat(w1.rowCount()).isEqualTo(current.size());
                assertThat(w1.driftShare()).isLessThanOrEqualTo(0.5);
                assertThat(w2.driftShare()).isEqualTo(1.0);

                assertThat(children(cache())).containsExactly(cache().resolve(v1.id()));
                cached = cache().resolve(v1.id()).resolve("train.csv");
                checkedOut = Files.getLastModifiedTime(cached);
                monitors.create(spec("second-look", "cairn-dataset:/training/1/train.csv"));
                assertThat(children(cache()))
                        .as("the version is checked out once for every monitor")
                        .containsExactly(cache().resolve(v1.id()));
                assertThat(Files.getLastModifiedTime(cached)).isEqualTo(checkedOut);
            }

            LineageStore lineage = LineageStore.of(db);
            List<LineageEdge> edges = lineage.traverse(LineageUri.monitor("training-drift"), Direction.UP, 1)
                    .edges();
            assertThat(edges).hasSize(1);
            assertThat(edges.get(0).source()).isEqualTo("cairn-dataset:/training/1");
            assertThat(edges.get(0).type()).isEqualTo(EdgeType.CONSUMED);
            assertThat(edges.get(0).attributes()).containsEntry("file", "train.csv");
            assertThat(lineage.traverse(v1.uri(), Direction.DOWN, 1).edges())
                    .extracting(LineageEdge::target)
                    .containsExactlyInAnyOrder("monitors:/training-drift", "monitors:/second-look");

            try (Monitors restarted = Monitors.open(db, datasets(blobs))) {
                MonitorResult again =
                        restarted.run("training-drift", MonitorsTest.T0.plus(MonitorsTest.HOUR.multipliedBy(2)));
                assertThat(again.driftShare())
                        .as("a new process reads the cached checkout")
                        .isEqualTo(1.0);
                assertThat(Files.getLastModifiedTime(cached)).isEqualTo(checkedOut);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(TestDatabases.Kind.class)
    void unknownOrAmbiguousDatasetReferencesFailNamingWhatIsWrongAndCreateNothing(TestDatabases.Kind kind)
            throws Exception {
        List<Flight> january = month(MonitorsTest.flights(), "2001-01");
        Path source = Files.createDirectories(dir.resolve("two"));
        Files.copy(table("a.csv", january.subList(0, 200)), source.resolve("a.csv"));
        Files.copy(table("b.csv", january.subList(200, 400)), source.resolve("b.csv"));
        Files.writeString(source.resolve("notes.txt"), "two samples of January\n");
        BlobStore blobs = BlobStore.local(artifacts());
        try (Database db = kind.open();
                Monitors monitors = Monitors.open(db, datasets(blobs));
                Monitors withoutDatasets = Monitors.open(db)) {
            DatasetVersions versions = new DatasetVersions(db, blobs);
            versions.add(new DatasetVersions.AddRequest(source, "two", "two tables"));

            assertRefused(
                    monitors,
                    "cairn-dataset:/two/1",
                    ErrorCode.INVALID_PARAMETER_VALUE,
                    "2 tabular files",
                    "a.csv, b.csv");
            assertRefused(monitors, "cairn-dataset:/nope/1", ErrorCode.RESOURCE_DOES_NOT_EXIST, "dataset 'nope'");
            assertRefused(
                    monitors,
                    "cairn-dataset:/two/7",
                    ErrorCode.RESOURCE_DOES_NOT_EXIST,
                    "version 7 of dataset 'two'",
                    "the latest is 1");
            assertRefused(
                    monitors,
                    "cairn-dataset:/two/1/c.csv",
                    ErrorCode.RESOURCE_DOES_NOT_EXIST,
                    "file 'c.csv'",
                    "two:1",
                    "a.csv, b.csv, notes.txt");
            assertRefused(monitors, "cairn-dataset:/two/latest", ErrorCode.INVALID_PARAMETER_VALUE, "'latest'");
            assertRefused(
                    monitors, "cairn-dataset:/two", ErrorCode.INVALID_PARAMETER_VALUE, "cairn-dataset:/NAME/VERSION");
            assertRefused(
                    withoutDatasets,
                    "cairn-dataset:/two/1/a.csv",
                    ErrorCode.INVALID_PARAMETER_VALUE,
                    "no dataset store");

            assertThat(monitors.list()).isEmpty();
            assertThat(children(cache())).as("nothing was checked out").isEmpty();
            assertThat(LineageStore.of(db)
                            .traverse("cairn-dataset:/two/1", Direction.DOWN, 1)
                            .edges())
                    .isEmpty();

            monitors.create(spec("b-only", "cairn-dataset:/two/1/b.csv"));
            assertThat(monitors.list()).extracting(MonitorSpec::name).containsExactly("b-only");
        }
    }

    @ParameterizedTest
    @EnumSource(TestDatabases.Kind.class)
    void aCorruptedBlobFailsTheMonitorNamingTheFileAndLeavesNoPartialCopy(TestDatabases.Kind kind) throws Exception {
        // Every flight: a table large enough for the store to keep as a file of its own.
        List<Flight> flights = MonitorsTest.flights();
        BlobStore blobs = BlobStore.local(artifacts());
        try (Database db = kind.open();
                Monitors monitors = Monitors.open(db, datasets(blobs))) {
            DatasetVersions versions = new DatasetVersions(db, blobs);
            add(versions, "training", table("train.csv", flights));
            String sha256 = versions.show("training:1")
                    .manifest()
                    .byPath()
                    .get("train.csv")
                    .sha256();
            corrupt(sha256);

            assertThatThrownBy(() -> monitors.create(spec("corrupt", "cairn-dataset:/training/1")))
                    .isInstanceOfSatisfying(
                            CairnException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INTERNAL_ERROR))
                    .hasMessageContaining("'train.csv'")
                    .hasMessageContaining("training:1")
                    .hasMessageContaining("corrupted");
            assertThat(monitors.list()).isEmpty();
            assertThat(children(cache())).as("no partial checkout stays behind").isEmpty();
            assertThat(LineageStore.of(db)
                            .traverse("cairn-dataset:/training/1", Direction.DOWN, 1)
                            .edges())
                    .isEmpty();
        }
    }

    @ParameterizedTest
    @EnumSource(TestDatabases.Kind.class)
    void monitorsCreatedAtTheSameTimeShareOneCompleteCheckout(TestDatabases.Kind kind) throws Exception {
        List<Flight> january = month(MonitorsTest.flights(), "2001-01");
        BlobStore blobs = BlobStore.local(artifacts());
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try (Database db = kind.open();
                Monitors monitors = Monitors.open(db, datasets(blobs))) {
            DatasetVersion version = add(new DatasetVersions(db, blobs), "training", table("train.csv", january));
            List<Callable<MonitorSpec>> creations = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                MonitorSpec spec = spec("concurrent-" + i, "cairn-dataset:/training/1");
                creations.add(() -> monitors.create(spec));
            }
            for (Future<MonitorSpec> f : pool.invokeAll(creations)) {
                assertThat(f.get().reference()).isEqualTo("cairn-dataset:/training/1");
            }
            assertThat(children(cache())).containsExactly(cache().resolve(version.id()));
            assertThat(Files.readString(cache().resolve(version.id()).resolve("train.csv")))
                    .isEqualTo(Files.readString(dir.resolve("train.csv")));
        } finally {
            pool.shutdownNow();
        }
    }

    private static void assertRefused(Monitors monitors, String reference, ErrorCode code, String... phrases) {
        assertThatThrownBy(() -> monitors.create(spec("refused", reference)))
                .isInstanceOfSatisfying(
                        CairnException.class, e -> assertThat(e.code()).isEqualTo(code))
                .hasMessageContainingAll(phrases);
    }

    static MonitorSpec spec(String name, String reference) throws IOException {
        return MonitorSpec.fromJson(new ObjectMapper().readTree("""
                {"name": "%s", "deployment": "delays", "reference": "%s",
                 "features": ["delay", "distance", "origin"], "window_seconds": 3600}
                """.formatted(name, reference)));
    }

    private static DatasetVersion add(DatasetVersions versions, String name, Path file) {
        return versions.add(new DatasetVersions.AddRequest(file, name, "")).version();
    }

    private Path table(String name, List<Flight> rows) throws IOException {
        Path file = Files.createDirectories(dir.resolve("tables-" + rows.hashCode()))
                .resolve(name);
        StringBuilder csv = new StringBuilder("delay,distance,origin\n");
        for (Flight f : rows) {
            csv.append((long) f.delay())
                    .append(',')
                    .append((long) f.distance())
                    .append(',')
                    .append(f.origin())
                    .append('\n');
        }
        Files.writeString(file, csv);
        Files.writeString(dir.resolve(name), csv);
        return file;
    }

    private static List<Flight> shifted(List<Flight> rows) {
        return rows.stream()
                .map(f -> new Flight(f.date(), f.delay() + 60, f.distance() * 1.5, f.origin()))
                .toList();
    }

    private static List<Flight> month(List<Flight> flights, String prefix) {
        return flights.stream().filter(f -> f.date().startsWith(prefix)).toList();
    }

    /** Flips one bit in the middle of a blob the local store keeps as a file of its own. */
    private void corrupt(String sha256) throws IOException {
        Path blob =
                artifacts().resolve("sha256").resolve(sha256.substring(0, 2)).resolve(sha256.substring(2));
        assumeThat(Files.isRegularFile(blob)).as("blob stored as its own file").isTrue();
        byte[] bytes = Files.readAllBytes(blob);
        bytes[bytes.length / 2] ^= 0x10;
        Files.write(blob, bytes);
    }

    private static List<Path> children(Path directory) throws IOException {
        if (!Files.isDirectory(directory)) {
            return List.of();
        }
        try (Stream<Path> list = Files.list(directory)) {
            return list.toList();
        }
    }
}
