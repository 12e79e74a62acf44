package dev.cairn.datasets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.core.CairnException;
import dev.cairn.core.ErrorCode;
import dev.cairn.lineage.Direction;
import dev.cairn.lineage.LineageGraph;
import dev.cairn.lineage.LineageNode;
import dev.cairn.lineage.LineageStore;
import dev.cairn.store.Database;
import dev.cairn.store.TestDatabases;
import dev.cairn.tracking.DatasetInput;
import dev.cairn.tracking.NewRun;
import dev.cairn.tracking.TrackingStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class DatasetVersionsTest {
    /** Real flights, committed in small form (see examples/data/README.md). */
    static final Path SAMPLE = Path.of("../examples/data/flights-sample-versions");

    @TempDir
    Path tmp;

    private Path sampleCopy(String name) throws IOException {
        Path dir = Files.createDirectories(tmp.resolve(name));
        try (Stream<Path> files = Files.list(SAMPLE)) {
            for (Path f : files.toList()) {
                Files.copy(f, dir.resolve(f.getFileName()));
            }
        }
        return dir;
    }

    private BlobBackend.Blobs blobs;

    /** Every test runs on both metadata stores times both blob stores. */
    static Stream<Arguments> stores() {
        return Stream.of(TestDatabases.Kind.values())
                .flatMap(db -> Stream.of(BlobBackend.values()).map(blob -> Arguments.of(db, blob)));
    }

    private DatasetVersions versions(Database db, BlobBackend backend) {
        blobs = backend.open(tmp);
        return new DatasetVersions(db, blobs.store());
    }

    @AfterEach
    void closeBlobs() throws Exception {
        if (blobs != null) {
            blobs.close();
        }
    }

    @ParameterizedTest(name = "{0} + {1}")
    @MethodSource("stores")
    void addRecordsFilesRowCountsSchemasAndProfiles(TestDatabases.Kind kind, BlobBackend backend) throws Exception {
        try (Database db = kind.open()) {
            DatasetVersions versions = versions(db, backend);
            Path dir = sampleCopy("v1");

            DatasetVersions.AddResult result =
                    versions.add(new DatasetVersions.AddRequest(dir, "flights", "first quarter sample"));

            DatasetVersion v1 = result.version();
            assertThat(result.created()).isTrue();
            assertThat(v1.number()).isEqualTo(1);
            assertThat(v1.fileCount()).isEqualTo(3);
            assertThat(v1.uri()).isEqualTo("cairn-dataset:/flights/1");
            VersionDetails details = versions.show("flights:1");
            assertThat(details.manifest().files())
                    .extracting(ManifestEntry::path)
                    .containsExactly("flights-2001-01.csv", "flights-2001-02.csv", "flights-2001-03.parquet");
            assertThat(details.manifest().files().get(0).sha256())
                    .isEqualTo(sha256(Files.readAllBytes(dir.resolve("flights-2001-01.csv"))));
            // The version id is the digest of the manifest as stored.
            assertThat(v1.id()).isEqualTo(sha256(details.manifest().toCanonicalJson()));

            TableSummary csv = details.tables().tables().get("flights-2001-01.csv");
            assertThat(csv.rowCount()).isEqualTo(1000);
            assertThat(csv.columns())
                    .extracting(TableSummary.Column::name)
                    .containsExactly("date", "delay", "distance", "origin", "destination");
            TableSummary.Column distance = csv.columns().get(2);
            assertThat(distance.type()).isEqualTo("BIGINT");
            ColumnStats.Numeric stats = (ColumnStats.Numeric) distance.stats();
            assertThat(stats.min()).isPositive();
            assertThat(stats.max()).isGreaterThan(stats.mean()).isLessThan(6000);
            assertThat(stats.stddev()).isPositive();
            ColumnStats.Text origins = (ColumnStats.Text) csv.columns().get(3).stats();
            assertThat(origins.topValues()).hasSize(TableProfiler.TOP_VALUES);
            assertThat(origins.topValues().get(0).count())
                    .isGreaterThanOrEqualTo(origins.topValues().get(1).count());
            TableSummary parquet = details.tables().tables().get("flights-2001-03.parquet");
            assertThat(parquet.format()).isEqualTo("parquet");
            assertThat(parquet.rowCount()).isEqualTo(1000);
            assertThat(((ColumnStats.Range) parquet.columns().get(0).stats()).min())
                    .startsWith("2001-03-01");
        }
    }

    @ParameterizedTest(name = "{0} + {1}")
    @MethodSource("stores")
    void aSecondVersionStoresOnlyTheChangedFileAndDiffNamesTheChanges(TestDatabases.Kind kind, BlobBackend backend)
            throws Exception {
        try (Database db = kind.open()) {
            DatasetVersions versions = versions(db, backend);
            Path dir = sampleCopy("data");
            versions.add(new DatasetVersions.AddRequest(dir, "flights", "v1"));
            Path february = dir.resolve("flights-2001-02.csv");
            List<String> lines = Files.readAllLines(february);
            List<String> changed = new ArrayList<>();
            changed.add(lines.get(0) + ",cancelled");
            for (String line : lines.subList(1, lines.size() - 10)) {
                changed.add(line + ",false");
            }
            Files.write(february, changed);
            Files.writeString(dir.resolve("NOTES.txt"), "february without its last ten flights\n");
            Files.delete(dir.resolve("flights-2001-01.csv"));

            DatasetVersions.AddResult second = versions.add(new DatasetVersions.AddRequest(dir, "flights", "v2"));

            assertThat(second.version().number()).isEqualTo(2);
            assertThat(second.bytesStored()).isEqualTo(Files.size(february) + Files.size(dir.resolve("NOTES.txt")));
            DatasetDiff diff = versions.diff("flights:1", "flights:2");
            assertThat(diff.added()).extracting(ManifestEntry::path).containsExactly("NOTES.txt");
            assertThat(diff.removed()).extracting(ManifestEntry::path).containsExactly("flights-2001-01.csv");
            assertThat(diff.changed()).extracting(DatasetDiff.FileChange::path).containsExactly("flights-2001-02.csv");
            DatasetDiff.TableChange table = diff.tables().get(0);
            assertThat(table.rowsBefore()).isEqualTo(1000);
            assertThat(table.rowsAfter()).isEqualTo(990);
            assertThat(table.schemaChanges()).containsExactly("column 'cancelled' added (BOOLEAN)");
            assertThat(table.profile())
                    .extracting(DatasetDiff.ProfileChange::column)
                    .contains("delay");
            assertThat(diff.render())
                    .contains("+ NOTES.txt")
                    .contains("- flights-2001-01.csv")
                    .contains("M flights-2001-02.csv")
                    .contains("rows 1000 -> 990");
        }
    }

    @ParameterizedTest(name = "{0} + {1}")
    @MethodSource("stores")
    void addingIdenticalContentAgainReturnsTheExistingVersion(TestDatabases.Kind kind, BlobBackend backend)
            throws Exception {
        try (Database db = kind.open()) {
            DatasetVersions versions = versions(db, backend);
            DatasetVersion first = versions.add(new DatasetVersions.AddRequest(sampleCopy("a"), "flights", "a"))
                    .version();

            DatasetVersions.AddResult again =
                    versions.add(new DatasetVersions.AddRequest(sampleCopy("b"), "flights", "b"));

            assertThat(again.created()).isFalse();
            assertThat(again.bytesStored()).isZero();
            assertThat(again.version().number()).isEqualTo(first.number());
            assertThat(versions.list("flights")).hasSize(1);
        }
    }

    @ParameterizedTest(name = "{0} + {1}")
    @MethodSource("stores")
    void checkoutRestoresEveryFileAndRefusesANonEmptyDirectory(TestDatabases.Kind kind, BlobBackend backend)
            throws Exception {
        try (Database db = kind.open()) {
            DatasetVersions versions = versions(db, backend);
            Path source = sampleCopy("src");
            Files.createDirectories(source.resolve("nested/deeper"));
            Files.writeString(source.resolve("nested/deeper/labels.txt"), "on time\n");
            versions.add(new DatasetVersions.AddRequest(source, "flights", "nested"));
            Path target = tmp.resolve("restored");

            CheckoutResult result = versions.checkout("flights", target, false);

            assertThat(result.files()).isEqualTo(4);
            for (String file : List.of(
                    "flights-2001-01.csv",
                    "flights-2001-02.csv",
                    "flights-2001-03.parquet",
                    "nested/deeper/labels.txt")) {
                assertThat(target.resolve(file)).hasSameBinaryContentAs(source.resolve(file));
            }
            assertThatThrownBy(() -> versions.checkout("flights:1", target, false))
                    .isInstanceOf(CairnException.class)
                    .hasMessageContaining("is not empty")
                    .hasMessageContaining("--force");
            Files.writeString(target.resolve("flights-2001-01.csv"), "edited");
            versions.checkout("flights:1", target, true);
            assertThat(target.resolve("flights-2001-01.csv"))
                    .hasSameBinaryContentAs(source.resolve("flights-2001-01.csv"));
        }
    }

    @ParameterizedTest(name = "{0} + {1}")
    @MethodSource("stores")
    void aCorruptedBlobFailsTheCheckoutNamingTheFile(TestDatabases.Kind kind, BlobBackend backend) throws Exception {
        try (Database db = kind.open()) {
            DatasetVersions versions = versions(db, backend);
            DatasetVersion version = versions.add(new DatasetVersions.AddRequest(sampleCopy("src"), "flights", ""))
                    .version();
            ManifestEntry february =
                    versions.show("flights").manifest().byPath().get("flights-2001-02.csv");
            blobs.corrupt(february.sha256());
            Path target = tmp.resolve("restored");

            assertThatThrownBy(() -> versions.checkout(version.ref(), target, false))
                    .isInstanceOf(CairnException.class)
                    .hasMessageContaining("'flights-2001-02.csv'")
                    .hasMessageContaining("corrupted");
            assertThat(BlobBackend.regularFiles(target))
                    .as("no file of the version appears, and no temporary file stays behind")
                    .isEmpty();
        }
    }

    @ParameterizedTest(name = "{0} + {1}")
    @MethodSource("stores")
    void anAddInterruptedByAFileVanishingHalfwayLeavesNoVersion(TestDatabases.Kind kind, BlobBackend backend)
            throws Exception {
        try (Database db = kind.open()) {
            DatasetVersions versions = versions(db, backend);
            Path dir = Files.createDirectories(tmp.resolve("many"));
            for (int i = 0; i < 60; i++) {
                Files.writeString(dir.resolve("part-%02d.txt".formatted(i)), "flight batch " + i + "\n");
            }
            Set<String> stored = ConcurrentHashMap.newKeySet();
            AtomicBoolean pulled = new AtomicBoolean();
            CountDownLatch removed = new CountDownLatch(1);
            // Every worker waits here until the rest is gone, so at most one file per worker has been
            // read by then, however the threads are scheduled.
            AddListener removeTheRest = entry -> {
                stored.add(entry.path());
                if (pulled.compareAndSet(false, true)) {
                    for (int i = 0; i < 60; i++) {
                        String name = "part-%02d.txt".formatted(i);
                        if (!stored.contains(name)) {
                            deleteQuietly(dir.resolve(name));
                        }
                    }
                    removed.countDown();
                } else {
                    awaitQuietly(removed);
                }
            };

            assertThatThrownBy(() -> versions.add(new DatasetVersions.AddRequest(dir, "flights", ""), removeTheRest))
                    .isInstanceOf(CairnException.class)
                    .hasMessageContaining("does not exist");

            assertThat(versions.listAll()).isEmpty();
            assertThat(blobs.leftovers()).as("no temporary copy is left behind").isEmpty();
            assertThatThrownBy(() -> versions.resolve("flights"))
                    .isInstanceOf(CairnException.class)
                    .extracting(e -> ((CairnException) e).code())
                    .isEqualTo(ErrorCode.RESOURCE_DOES_NOT_EXIST);
            // Later commands work: the next add publishes version 1 of the same dataset.
            DatasetVersion next = versions.add(new DatasetVersions.AddRequest(sampleCopy("ok"), "flights", ""))
                    .version();
            assertThat(next.number()).isEqualTo(1);
            assertThat(versions.checkout("flights", tmp.resolve("out"), false).files())
                    .isEqualTo(3);
        }
    }

    @ParameterizedTest(name = "{0} + {1}")
    @MethodSource("stores")
    void badInputIsRejectedNamingTheFileAndLeavesNothing(TestDatabases.Kind kind, BlobBackend backend)
            throws Exception {
        try (Database db = kind.open()) {
            DatasetVersions versions = versions(db, backend);
            assertThatThrownBy(() -> versions.add(new DatasetVersions.AddRequest(tmp.resolve("nope"), "flights", "")))
                    .isInstanceOf(CairnException.class)
                    .hasMessageContaining("nope")
                    .hasMessageContaining("does not exist");

            Path broken = sampleCopy("broken");
            Files.writeString(broken.resolve("flights-2001-04.parquet"), "date,delay\nnot,parquet\n");
            assertThatThrownBy(() -> versions.add(new DatasetVersions.AddRequest(broken, "flights", "")))
                    .isInstanceOf(CairnException.class)
                    .hasMessageContaining("'flights-2001-04.parquet'")
                    .hasMessageContaining("as parquet");

            Path dangling = sampleCopy("dangling");
            Files.createSymbolicLink(dangling.resolve("gone.csv"), dangling.resolve("missing.csv"));
            assertThatThrownBy(() -> versions.add(new DatasetVersions.AddRequest(dangling, "flights", "")))
                    .isInstanceOf(CairnException.class)
                    .hasMessageContaining("'gone.csv'");

            assertThatThrownBy(() -> versions.add(new DatasetVersions.AddRequest(sampleCopy("x"), "bad/name", "")))
                    .hasMessageContaining("'bad/name'");
            assertThat(versions.listAll()).isEmpty();
        }
    }

    @ParameterizedTest(name = "{0} + {1}")
    @MethodSource("stores")
    void filesOfUnknownFormatAreVersionedWithoutATableSummary(TestDatabases.Kind kind, BlobBackend backend)
            throws Exception {
        try (Database db = kind.open()) {
            DatasetVersions versions = versions(db, backend);
            Path dir = Files.createDirectories(tmp.resolve("raw"));
            Files.write(dir.resolve("radar.bin"), new byte[] {0, 1, 2, 3, (byte) 0xff});
            Files.copy(SAMPLE.resolve("flights-2001-01.csv"), dir.resolve("flights.csv"));

            versions.add(new DatasetVersions.AddRequest(dir, "mixed", ""));

            VersionDetails details = versions.show("mixed");
            assertThat(details.manifest().files()).hasSize(2);
            assertThat(details.tables().tables()).containsOnlyKeys("flights.csv");
        }
    }

    @ParameterizedTest(name = "{0} + {1}")
    @MethodSource("stores")
    void versionsAreFoundByNumberAliasAndIdPrefixAndRemovedWithoutLosingSharedBlobs(
            TestDatabases.Kind kind, BlobBackend backend) throws Exception {
        try (Database db = kind.open()) {
            DatasetVersions versions = versions(db, backend);
            Path dir = sampleCopy("d");
            DatasetVersion v1 = versions.add(new DatasetVersions.AddRequest(dir, "flights", "v1"))
                    .version();
            Files.writeString(dir.resolve("extra.txt"), "x\n");
            DatasetVersion v2 = versions.add(new DatasetVersions.AddRequest(dir, "flights", "v2"))
                    .version();

            assertThat(versions.setAlias("flights:1", "golden").aliases()).containsExactly("golden");
            assertThat(versions.resolve("flights:golden").number()).isEqualTo(1);
            assertThat(versions.resolve("flights:" + v2.id().substring(0, 8)).number())
                    .isEqualTo(2);
            assertThat(versions.resolve("flights").number()).isEqualTo(2);
            assertThatThrownBy(() -> versions.setAlias("flights:1", "7up")).hasMessageContaining("'7up'");

            versions.remove("flights:1");

            assertThat(versions.list("flights"))
                    .extracting(DatasetVersion::number)
                    .containsExactly(2);
            assertThatThrownBy(() -> versions.resolve("flights:golden")).hasMessageContaining("does not exist");
            assertThat(versions.checkout("flights:2", tmp.resolve("out"), false).files())
                    .isEqualTo(4);
            DatasetVersion v3 = versions.add(new DatasetVersions.AddRequest(sampleCopy("again"), "flights", "v1 again"))
                    .version();
            assertThat(v3.number()).as("numbers are never reused").isEqualTo(3);
            assertThat(v3.id()).isEqualTo(v1.id());
        }
    }

    @ParameterizedTest(name = "{0} + {1}")
    @MethodSource("stores")
    void aVersionMapsOntoAnMlflowDatasetInputAndItsConsumptionIsLineage(TestDatabases.Kind kind, BlobBackend backend)
            throws Exception {
        try (Database db = kind.open()) {
            DatasetVersions versions = versions(db, backend);
            Path single = Files.createDirectories(tmp.resolve("single"));
            Files.copy(SAMPLE.resolve("flights-2001-03.parquet"), single.resolve("march.parquet"));
            DatasetVersion version = versions.add(new DatasetVersions.AddRequest(single, "march", ""))
                    .version();

            DatasetInput input = DatasetInputs.input(versions.show("march:1"), "training");

            assertThat(input.dataset().name()).isEqualTo("march");
            assertThat(input.dataset().digest()).isEqualTo(version.shortId());
            assertThat(input.dataset().sourceType()).isEqualTo("cairn");
            assertThat(input.dataset().source()).isEqualTo("cairn-dataset:/march/1");
            assertThat(input.dataset().schema()).contains("{\"type\":\"long\",\"name\":\"delay\"}");
            assertThat(input.dataset().profile()).contains("\"num_rows\":1000");
            // Logging it as a run input (what MLflow's log-inputs does) records the consumed edge.
            TrackingStore tracking = TrackingStore.on(db);
            String experiment = tracking.createExperiment("delays", Optional.empty(), List.of());
            String runId = tracking.createRun(new NewRun(experiment, "me", 1L, Optional.empty(), List.of()))
                    .info()
                    .runId();
            tracking.logInputs(runId, List.of(input));

            LineageStore lineage = LineageStore.of(db);
            LineageGraph graph = lineage.traverse("runs:/" + runId, Direction.UP, 5);
            assertThat(graph.nodes()).extracting(LineageNode::uri).contains("cairn-dataset:/march/1");
            assertThat(tracking.getRun(runId).inputs().get(0).dataset().source())
                    .isEqualTo("cairn-dataset:/march/1");
            assertThat(DatasetInputs.recordConsumption(lineage, runId, List.of(input)))
                    .as("already recorded")
                    .isZero();
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    static String text(Path file) throws IOException {
        return Files.readString(file, StandardCharsets.UTF_8);
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
