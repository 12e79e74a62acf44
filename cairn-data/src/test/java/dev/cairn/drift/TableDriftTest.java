package dev.cairn.drift;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Drift between table files on the committed Seattle weather samples agrees with SciPy. */
class TableDriftTest {
    static final Path DATA = Path.of("..", "examples", "data");
    static final Path Y2012 = DATA.resolve("drift-seattle-weather-2012.csv");
    static final Path Y2015 = DATA.resolve("drift-seattle-weather-2015.csv");

    @Test
    void seattleWeatherDriftMatchesScipyPerColumn() throws IOException {
        JsonNode expected;
        try (InputStream in = getClass().getResourceAsStream("/drift/scipy-vectors.json")) {
            expected = new ObjectMapper()
                    .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS.mappedFeature())
                    .readTree(in)
                    .get("seattle_2012_vs_2015");
        }
        DriftReport report = TableDrift.compare(Y2012, Y2015, List.of(), DriftOptions.defaults());
        assertThat(report.columns()).hasSize(5);
        expected.properties().forEach(e -> {
            ColumnDrift c = report.column(e.getKey()).orElseThrow();
            assertThat(c.test().id())
                    .as(e.getKey())
                    .isEqualTo(e.getValue().get("test").asText());
            ScipyVectorsTest.assertClose(
                    e.getKey(), c.score(), e.getValue().get("score").asDouble());
            assertThat(c.current().valid()).isEqualTo(365);
        });
        assertThat(report.schemaIssues())
                .extracting(SchemaIssue::column, SchemaIssue::status)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("date", ColumnStatus.UNSUPPORTED_TYPE));
        assertThat(report.driftedColumns()).isEqualTo(3);
        assertThat(report.driftShare()).isEqualTo(0.6);
        assertThat(report.datasetDrift()).isTrue();
    }

    @Test
    void filesMergeIntoOneWindowOfAReferenceProfile(@TempDir Path dir) throws IOException {
        List<String> lines = Files.readAllLines(Y2015);
        Path first = dir.resolve("h1.csv");
        Path second = dir.resolve("h2.csv");
        Files.write(first, lines.subList(0, 183));
        Files.write(
                second,
                java.util.stream.Stream.concat(Stream.of(lines.get(0)), lines.subList(183, lines.size()).stream())
                        .toList());
        ReferenceProfile profile = TableDrift.profile(Y2012, List.of());
        Window year = TableDrift.window(profile, first, List.of());
        year.merge(TableDrift.window(profile, second, List.of()));
        DriftReport merged = DriftAnalysis.compare(profile, year, DriftOptions.defaults());
        DriftReport whole = TableDrift.compare(Y2012, Y2015, List.of(), DriftOptions.defaults());
        for (ColumnDrift c : whole.columns()) {
            assertThat(merged.column(c.column()).orElseThrow().score()).isEqualTo(c.score());
        }
    }

    @Test
    void selectedColumnsAndUnknownOnesAreReported(@TempDir Path dir) throws IOException {
        Path current = dir.resolve("current.csv");
        Files.writeString(current, "temp_max,weather,extra\n10.5,sun,1\nNaN,,2\n12.0,hail,3\n");
        DriftReport report =
                TableDrift.compare(Y2012, current, List.of("temp_max", "weather", "nope"), DriftOptions.defaults());
        assertThat(report.columns()).extracting(ColumnDrift::column).containsExactly("temp_max", "weather");
        ColumnDrift temp = report.column("temp_max").orElseThrow();
        assertThat(temp.current().nan()).isEqualTo(1);
        assertThat(temp.current().valid()).isEqualTo(2);
        ColumnDrift weather = report.column("weather").orElseThrow();
        assertThat(weather.current().nulls()).isEqualTo(1);
        assertThat(weather.unseenExamples()).containsExactly("hail");
        assertThat(report.schemaIssues()).extracting(SchemaIssue::column).containsExactly("nope");
    }
}
