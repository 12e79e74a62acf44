package dev.cairn.validation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.core.CairnException;
import dev.cairn.validation.Anomaly.Kind;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Schema inference and validation on the committed Seattle weather sample and on broken batches. */
class SchemaValidationTest {
    static final Path Y2012 = Path.of("..", "examples", "data", "drift-seattle-weather-2012.csv");
    static final Path Y2015 = Path.of("..", "examples", "data", "drift-seattle-weather-2015.csv");

    @Test
    void infersTypesRangesDomainsCompletenessAndUniqueness() {
        Schema schema = SchemaInference.infer(Y2012);
        assertThat(schema.columns())
                .extracting(ColumnSchema::name)
                .containsExactly("date", "precipitation", "temp_max", "temp_min", "wind", "weather");
        ColumnSchema date = schema.column("date").orElseThrow();
        assertThat(date.type()).isEqualTo(DataType.DATE);
        assertThat(date.completeness()).isEqualTo(1.0);
        ColumnSchema temp = schema.column("temp_max").orElseThrow();
        assertThat(temp.type()).isEqualTo(DataType.FLOAT);
        assertThat(temp.range()).isEqualTo(Optional.of(new NumericRange(-1.1, 34.4)));
        ColumnSchema weather = schema.column("weather").orElseThrow();
        assertThat(weather.domain()).containsExactly("drizzle", "fog", "rain", "snow", "sun");
        assertThat(weather.unique()).isFalse();
        assertThat(SchemaInference.suggestions(schema))
                .contains("weather: one of 5 values [drizzle, fog, rain, snow, sun]");
    }

    @Test
    void schemaFileRoundTripsAndAnEditIsHonoured(@TempDir Path dir) throws IOException {
        Schema schema = SchemaInference.infer(Y2012);
        Path file = dir.resolve("schema.json");
        schema.write(file);
        assertThat(Schema.read(file)).isEqualTo(schema);
        // A person widens the range in the file; the next validation uses it.
        String edited = Files.readString(file).replace("\"max\" : 34.4", "\"max\" : 40.0");
        Files.writeString(file, edited);
        assertThat(Schema.read(file)
                        .column("temp_max")
                        .orElseThrow()
                        .range()
                        .orElseThrow()
                        .max())
                .isEqualTo(40.0);
    }

    @Test
    void dataValidatesAgainstItsOwnSchema() {
        ValidationResult result = SchemaValidator.validate(SchemaInference.infer(Y2012), Y2012);
        assertThat(result.anomalies()).isEmpty();
        assertThat(result.passed()).isTrue();
        assertThat(result.rows()).isEqualTo(366);
    }

    @Test
    void laterYearIsFlaggedWithCountsThatMatchTheData() throws IOException {
        Schema schema = SchemaInference.infer(Y2012);
        ValidationResult result = SchemaValidator.validate(schema, Y2015);
        long hotter = Files.readAllLines(Y2015).stream()
                .skip(1)
                .filter(l -> Double.parseDouble(l.split(",")[2]) > 34.4)
                .count();
        assertThat(hotter).isPositive();
        Anomaly anomaly = result.anomalies().stream()
                .filter(a -> a.column().equals("temp_max"))
                .findFirst()
                .orElseThrow();
        assertThat(anomaly.kind()).isEqualTo(Kind.OUT_OF_RANGE);
        assertThat(anomaly.count()).isEqualTo(hotter);
        assertThat(result.passed()).isFalse();
    }

    @Test
    void brokenBatchReportsEveryAnomaly(@TempDir Path dir) throws IOException {
        Schema schema = SchemaInference.infer(Y2012);
        Path batch = dir.resolve("batch.csv");
        Files.writeString(batch, """
                date,precipitation,temp_max,weather,station
                2016-01-01,0.0,hot,sun,A
                2016-01-02,,12.0,hail,B
                2016-01-03,-5.0,13.0,hail,C
                2016-01-04,1.0,14.0,sun,D
                """);
        ValidationResult result = SchemaValidator.validate(schema, batch);
        assertThat(result.passed()).isFalse();
        assertThat(result.anomalies())
                .extracting(Anomaly::column, Anomaly::kind, Anomaly::count)
                .contains(
                        org.assertj.core.groups.Tuple.tuple("temp_min", Kind.MISSING_COLUMN, 0L),
                        org.assertj.core.groups.Tuple.tuple("wind", Kind.MISSING_COLUMN, 0L),
                        org.assertj.core.groups.Tuple.tuple("temp_max", Kind.TYPE_MISMATCH, 0L),
                        org.assertj.core.groups.Tuple.tuple("precipitation", Kind.COMPLETENESS_BELOW_EXPECTED, 1L),
                        org.assertj.core.groups.Tuple.tuple("precipitation", Kind.OUT_OF_RANGE, 1L),
                        org.assertj.core.groups.Tuple.tuple("weather", Kind.UNSEEN_CATEGORY, 2L),
                        org.assertj.core.groups.Tuple.tuple("station", Kind.NEW_COLUMN, 0L));
        Anomaly unseen = result.anomalies().stream()
                .filter(a -> a.kind() == Kind.UNSEEN_CATEGORY)
                .findFirst()
                .orElseThrow();
        assertThat(unseen.examples()).containsExactly("hail");
        assertThat(result.anomalies().stream().filter(a -> a.kind() == Kind.NEW_COLUMN))
                .allSatisfy(a -> assertThat(a.blocking()).isFalse());
    }

    @Test
    void emptyTableIsAnAnomalyNotACrash(@TempDir Path dir) throws IOException {
        Path empty = dir.resolve("empty.csv");
        Files.writeString(empty, "date,precipitation,temp_max,temp_min,wind,weather\n");
        ValidationResult result = SchemaValidator.validate(SchemaInference.infer(Y2012), empty);
        assertThat(result.rows()).isZero();
        assertThat(result.anomalies()).extracting(Anomaly::kind).contains(Kind.EMPTY_TABLE);
        assertThat(result.passed()).isFalse();
    }

    @Test
    void uniquenessAndParquetAndJsonInputs(@TempDir Path dir) throws SQLException {
        Path parquet = dir.resolve("t.parquet");
        Path json = dir.resolve("t.json");
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
                Statement st = c.createStatement()) {
            st.execute("COPY (SELECT i AS id, i % 3 AS bucket FROM range(100) r(i)) TO '" + parquet
                    + "' (FORMAT PARQUET)");
            st.execute(
                    "COPY (SELECT i % 50 AS id, i % 3 AS bucket FROM range(100) r(i)) TO '" + json + "' (FORMAT JSON)");
        }
        Schema schema = SchemaInference.infer(parquet);
        assertThat(schema.column("id").orElseThrow().unique()).isTrue();
        assertThat(schema.column("bucket").orElseThrow().unique()).isFalse();
        ValidationResult result = SchemaValidator.validate(schema, json);
        assertThat(result.anomalies())
                .extracting(Anomaly::column, Anomaly::kind, Anomaly::count)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("id", Kind.DUPLICATE_VALUES, 50L));
    }

    @Test
    void unreadableInputsFailWithTheFileName(@TempDir Path dir) throws IOException {
        Path bad = dir.resolve("schema.json");
        Files.writeString(bad, "{\"format\": \"cairn-schema/9\", \"columns\": []}");
        assertThatThrownBy(() -> Schema.read(bad))
                .isInstanceOf(CairnException.class)
                .hasMessageContaining(bad.toString())
                .hasMessageContaining("cairn-schema/9");
        assertThatThrownBy(() -> SchemaValidator.validate(Schema.of(List.of()), dir.resolve("missing.csv")))
                .isInstanceOf(CairnException.class)
                .hasMessageContaining("missing.csv");
    }
}
