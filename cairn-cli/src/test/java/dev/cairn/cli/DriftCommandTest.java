package dev.cairn.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code cairn drift}, {@code cairn data infer-schema} and {@code cairn data validate} on the committed samples. */
class DriftCommandTest {
    static final Path Y2012 = Path.of("../examples/data/drift-seattle-weather-2012.csv");
    static final Path Y2015 = Path.of("../examples/data/drift-seattle-weather-2015.csv");

    @Test
    void driftPrintsOneLinePerColumnAndTheDatasetVerdict() {
        CliResult result = CliResult.run("drift", "--reference", Y2012.toString(), "--current", Y2015.toString());
        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.lines().get(0)).contains("COLUMN", "TEST", "STATISTIC", "SCORE", "THRESHOLD", "VERDICT");
        assertThat(result.out())
                .containsPattern("temp_max +numeric +ks .* DRIFT")
                .containsPattern("wind +numeric +ks .* ok")
                .containsPattern("weather +categorical +chisquare .* DRIFT")
                .contains("date: unsupported_type (type DATE)")
                .contains("3 of 5 columns drifted (share 0.60, threshold 0.50): DATASET DRIFT");
    }

    @Test
    void driftJsonCarriesTheReportAndFailOnDriftSetsTheExitCode() throws Exception {
        CliResult result = CliResult.run(
                "drift",
                "--reference",
                Y2012.toString(),
                "--current",
                Y2015.toString(),
                "--columns",
                "wind,weather",
                "--test",
                "psi",
                "--json",
                "--fail-on-drift");
        assertThat(result.exitCode()).as(result.err()).isEqualTo(3);
        JsonNode report = new ObjectMapper().readTree(result.out());
        assertThat(report.get("tested_columns").asInt()).isEqualTo(2);
        assertThat(report.get("columns"))
                .allSatisfy(c -> assertThat(c.get("test").asText()).isEqualTo("PSI"));
        assertThat(report.get("dataset_drift").asBoolean()).isTrue();
    }

    @Test
    void inferSchemaThenValidateGatesABadBatch(@TempDir Path dir) throws Exception {
        Path schema = dir.resolve("schema.json");
        CliResult infer = CliResult.run("data", "infer-schema", Y2012.toString(), "-o", schema.toString());
        assertThat(infer.exitCode()).as(infer.err()).isZero();
        assertThat(infer.out()).contains("weather: one of 5 values");
        assertThat(Files.readString(schema)).contains("\"format\" : \"cairn-schema/1\"");

        CliResult same = CliResult.run("data", "validate", "--schema", schema.toString(), Y2012.toString());
        assertThat(same.exitCode()).as(same.out() + same.err()).isZero();
        assertThat(same.out()).contains("366 rows, 0 anomalies: PASSED");

        Path batch = dir.resolve("batch.csv");
        Files.writeString(
                batch, "date,precipitation,temp_max,temp_min,wind,weather\n2016-01-01,0.0,50.0,1.0,2.0,hail\n");
        CliResult bad = CliResult.run("data", "validate", "--schema", schema.toString(), batch.toString(), "--json");
        assertThat(bad.exitCode()).isEqualTo(2);
        JsonNode body = new ObjectMapper().readTree(bad.out());
        assertThat(body.get("passed").asBoolean()).isFalse();
        assertThat(body.get("anomalies").findValuesAsText("kind")).contains("OUT_OF_RANGE", "UNSEEN_CATEGORY");
    }

    @Test
    void missingFilesAreOneLineErrors() {
        CliResult result = CliResult.run("drift", "--reference", "nope.csv", "--current", Y2015.toString());
        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).contains("nope.csv");
    }
}
