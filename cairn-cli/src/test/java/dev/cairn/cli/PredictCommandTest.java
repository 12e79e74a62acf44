package dev.cairn.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.models.FlightModels;
import dev.cairn.models.FlightsSample;
import dev.cairn.models.LoadedModel;
import dev.cairn.models.Models;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PredictCommandTest {
    @TempDir
    Path temp;

    @Test
    void scoresACsvIntoParquetWithTheModelsPredictions() throws Exception {
        FlightsSample sample = FlightsSample.load();
        Path model = temp.resolve("xgb");
        FlightModels.saveXGBoost(sample, model);
        int rows = sample.test.rows();
        var csv = new ArrayList<String>();
        csv.add(String.join(",", FlightsSample.FEATURES) + ",label");
        for (int r = 0; r < rows; r++) {
            var values = new ArrayList<String>();
            for (float v : sample.test.row(r)) {
                values.add(Float.toString(v));
            }
            values.add(Float.toString(sample.test.labels()[r]));
            csv.add(String.join(",", values));
        }
        Path input = temp.resolve("flights.csv");
        Files.write(input, csv);
        Path output = temp.resolve("preds.parquet");

        CliResult result = CliResult.run(
                "predict",
                model.toString(),
                "--input",
                input.toString(),
                "--output",
                output.toString(),
                "--batch-size",
                "500");
        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.out()).contains("Scored " + rows + " rows");

        float[] expected;
        try (LoadedModel loaded = Models.load(model)) {
            expected = (float[]) loaded.predict(FlightModels.columns(sample.test, rows))
                    .get(0)
                    .data();
        }
        var actual = new ArrayList<Float>();
        var order = new ArrayList<Long>();
        try (var db = DriverManager.getConnection("jdbc:duckdb:");
                var rs = db.createStatement()
                        .executeQuery(
                                "SELECT \"row\", probability FROM read_parquet('" + output + "') ORDER BY \"row\"")) {
            while (rs.next()) {
                order.add(rs.getLong(1));
                actual.add(rs.getFloat(2));
            }
        }
        assertThat(actual).hasSize(rows);
        assertThat(order.get(rows - 1)).isEqualTo(rows - 1L);
        for (int r = 0; r < rows; r++) {
            assertThat(actual.get(r)).isEqualTo(expected[r]);
        }
    }

    @Test
    void aMissingInputColumnIsNamed() throws Exception {
        FlightsSample sample = FlightsSample.load();
        Path model = temp.resolve("xgb");
        FlightModels.saveXGBoost(sample, model);
        Path input = temp.resolve("short.csv");
        Files.write(input, List.of("distance,hour", "1.0,0.5"));
        CliResult result = CliResult.run(
                "predict",
                model.toString(),
                "--input",
                input.toString(),
                "--output",
                temp.resolve("p.parquet").toString());
        assertThat(result.exitCode()).isNotZero();
        assertThat(result.err()).contains("day_of_week");
    }
}
