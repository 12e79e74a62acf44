package dev.cairn.datasets;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.artifacts.BlobStore;
import dev.cairn.store.Database;
import dev.cairn.store.StoreUrl;
import dev.cairn.store.TestDatabases;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A {@code data add} whose process is killed half-way (kill -9, as a crash or an impatient user
 * would) publishes no version, and leaves nothing that breaks the next add or checkout.
 */
class KilledAddTest {
    private static final int FILES = 200;
    private static final int KILL_AFTER = 30;

    @TempDir
    Path tmp;

    @ParameterizedTest
    @EnumSource(BlobBackend.class)
    void anAddKilledHalfwayLeavesNoVersionAndTheNextAddAndCheckoutWork(BlobBackend backend) throws Exception {
        Path source = Files.createDirectories(tmp.resolve("flights"));
        for (int i = 0; i < FILES; i++) {
            Files.writeString(source.resolve("part-%03d.csv".formatted(i)), "date,delay\n2001-01-01," + i + "\n");
        }
        Path dbDir = Files.createDirectories(tmp.resolve("db"));
        TestDatabases.sqlite(dbDir).close();
        Path marker = tmp.resolve("stalled");
        try (BlobBackend.Blobs blobs = backend.open(tmp)) {
            killMidAdd(blobs, dbDir.resolve("cairn.db"), source, marker);
            if (backend == BlobBackend.LOCAL) {
                assertThat(blobs.leftovers())
                        .as("the kill interrupted a pack, which no index names")
                        .anyMatch(p -> p.toString().endsWith(".pack"));
            }

            try (Database db = Database.open(StoreUrl.sqlite(dbDir.resolve("cairn.db")))) {
                DatasetVersions versions = new DatasetVersions(db, blobs.store());
                assertThat(versions.listAll()).as("no version is visible").isEmpty();

                DatasetVersions.AddResult again = versions.add(new DatasetVersions.AddRequest(source, "flights", ""));

                assertThat(again.version().number()).isEqualTo(1);
                assertThat(again.version().fileCount()).isEqualTo(FILES);
                if (backend == BlobBackend.LOCAL) {
                    assertThat(again.bytesStored())
                            .as("no blob of the killed add became visible: all content is stored again")
                            .isEqualTo(again.version().totalBytes());
                }
                Path out = tmp.resolve("out");
                assertThat(versions.checkout("flights:1", out, false).files()).isEqualTo(FILES);
                for (int i = 0; i < FILES; i += 37) {
                    String name = "part-%03d.csv".formatted(i);
                    assertThat(out.resolve(name)).hasSameTextualContentAs(source.resolve(name));
                }
            }
        }
    }

    private void killMidAdd(BlobBackend.Blobs blobs, Path db, Path source, Path marker) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(
                        ProcessHandle.current().info().command().orElse("java"),
                        "-cp",
                        System.getProperty("java.class.path"),
                        StallingAdd.class.getName(),
                        db.toString(),
                        blobs.location(),
                        source.toString(),
                        marker.toString())
                .redirectErrorStream(true)
                .redirectOutput(tmp.resolve("child.log").toFile());
        builder.environment().putAll(blobs.environment());
        Process child = builder.start();
        try {
            for (int i = 0; i < 1200 && !Files.exists(marker) && child.isAlive(); i++) {
                Thread.sleep(50);
            }
            assertThat(marker)
                    .as("the add stalled half-way; child output: %s", Files.readString(tmp.resolve("child.log")))
                    .exists();
            child.destroyForcibly();
            assertThat(child.waitFor(60, TimeUnit.SECONDS)).isTrue();
        } finally {
            child.destroyForcibly();
        }
    }

    /** Adds a directory and stalls, never to return, once {@link #KILL_AFTER} files are stored. */
    public static final class StallingAdd {
        public static void main(String[] args) throws Exception {
            Path marker = Path.of(args[3]);
            AtomicInteger stored = new AtomicInteger();
            try (Database db = Database.open(StoreUrl.sqlite(Path.of(args[0])))) {
                DatasetVersions versions = new DatasetVersions(db, BlobStore.at(args[1]));
                versions.add(new DatasetVersions.AddRequest(Path.of(args[2]), "flights", "", false), entry -> {
                    if (stored.incrementAndGet() == KILL_AFTER) {
                        stall(marker);
                    }
                });
            }
        }

        private static void stall(Path marker) {
            try {
                Files.createFile(marker);
                Thread.sleep(Long.MAX_VALUE);
            } catch (IOException | InterruptedException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
