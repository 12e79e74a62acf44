package dev.cairn.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.lineage.EdgeType;
import dev.cairn.lineage.LineageEdge;
import dev.cairn.lineage.LineageStore;
import dev.cairn.store.Database;
import dev.cairn.store.StoreUrl;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code cairn data} and {@code cairn lineage} in-process on a real Cairn home. */
class DataCommandTest {
    static final Path SAMPLE = Path.of("../examples/data/flights-sample-versions");

    @TempDir
    Path tmp;

    @Test
    void addShowDiffCheckoutAndRemoveVersionsFromTheCommandLine() throws Exception {
        Path home = tmp.resolve("home");
        Path data = Files.createDirectories(tmp.resolve("flights"));
        try (Stream<Path> files = Files.list(SAMPLE)) {
            for (Path f : files.toList()) {
                Files.copy(f, data.resolve(f.getFileName()));
            }
        }

        CliResult add = cairn(home, "data", "add", data.toString(), "--name", "flights", "--message", "q1 sample");
        assertThat(add.exitCode()).as(add.err()).isZero();
        assertThat(add.out()).startsWith("Added flights:1 (").contains("3 files");

        Files.writeString(data.resolve("notes.txt"), "second version\n");
        assertThat(cairn(home, "data", "add", data.toString(), "--name", "flights", "--alias", "golden")
                        .out())
                .contains("flights:2");

        CliResult list = cairn(home, "data", "list");
        assertThat(list.out()).contains("flights").contains("golden").contains("q1 sample");

        CliResult show = cairn(home, "data", "show", "flights:1");
        assertThat(show.out())
                .contains("flights-2001-03.parquet: parquet, 1000 rows")
                .contains("distance")
                .contains("BIGINT");

        assertThat(cairn(home, "data", "diff", "flights:1", "flights:golden").out())
                .contains("+ notes.txt");

        Path out = tmp.resolve("restored");
        CliResult checkout = cairn(home, "data", "checkout", "flights:1", out.toString());
        assertThat(checkout.exitCode()).as(checkout.err()).isZero();
        assertThat(out.resolve("flights-2001-01.csv")).hasSameBinaryContentAs(data.resolve("flights-2001-01.csv"));
        CliResult refused = cairn(home, "data", "checkout", "flights:1", out.toString());
        assertThat(refused.exitCode()).isEqualTo(1);
        assertThat(refused.err()).contains("not empty").contains("--force");

        assertThat(cairn(home, "data", "rm", "flights:1").out()).contains("Removed flights:1");
        CliResult gone = cairn(home, "data", "show", "flights:1");
        assertThat(gone.exitCode()).isEqualTo(1);
        assertThat(gone.err()).contains("'flights:1' does not exist");

        CliResult missing = cairn(home, "data", "add", tmp.resolve("nope").toString(), "--name", "x");
        assertThat(missing.exitCode()).isEqualTo(1);
        assertThat(missing.err()).contains("nope").contains("does not exist");
    }

    @Test
    void lineagePrintsTheGraphAsATree() {
        Path home = tmp.resolve("home");
        try (Database db = Database.open(StoreUrl.sqlite(home.resolve("cairn.db")))) {
            LineageStore.of(db)
                    .record(List.of(
                            LineageEdge.of("cairn-dataset:/flights/1", EdgeType.CONSUMED, "runs:/r1"),
                            LineageEdge.of("runs:/r1", EdgeType.PRODUCED, "runs:/r1/artifacts/model"),
                            LineageEdge.of("runs:/r1/artifacts/model", EdgeType.REGISTERED_AS, "models:/delays/1")));
        }

        CliResult up = cairn(home, "lineage", "models:/delays/1", "--up");

        assertThat(up.exitCode()).as(up.err()).isZero();
        assertThat(up.lines())
                .containsExactly(
                        "models:/delays/1",
                        "  upstream:",
                        "  `-- registered_as <- runs:/r1/artifacts/model",
                        "      `-- produced <- runs:/r1",
                        "          `-- consumed <- cairn-dataset:/flights/1");
        assertThat(cairn(home, "lineage", "cairn-dataset:/flights/1", "--down", "--depth", "1")
                        .out())
                .contains("consumed -> runs:/r1")
                .doesNotContain("produced");
        CliResult bad = cairn(home, "lineage", "flights");
        assertThat(bad.exitCode()).isEqualTo(1);
        assertThat(bad.err()).contains("'flights' is not a lineage uri");
    }

    private static CliResult cairn(Path home, String... args) {
        String[] withHome = Stream.concat(Stream.of(args), Stream.of("--home", home.toString()))
                .toArray(String[]::new);
        return CliResult.run(withHome);
    }
}
