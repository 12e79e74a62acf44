package dev.cairn.pipelines.builtin;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.cairn.core.CairnException;
import dev.cairn.validation.TableFile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * How a model's inputs are computed from a table: feature name to a DuckDB SQL expression over its
 * columns (a plain column name when the feature is a column), and the label expression. Kept in
 * the model package as {@code features.json} so that evaluation computes the same inputs.
 */
public record FeatureSpec(Map<String, String> features, String label) {
    /** The file name inside a model package. */
    public static final String FILE = "features.json";

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    public FeatureSpec {
        features = Collections.unmodifiableMap(new LinkedHashMap<>(features));
    }

    /** Reads {@code features.json} of a model package, when it has one. */
    public static Optional<FeatureSpec> read(Path packageDir) {
        Path file = packageDir.resolve(FILE);
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            var tree = JSON.readTree(file.toFile());
            Map<String, String> features = new LinkedHashMap<>();
            tree.path("features")
                    .properties()
                    .forEach(e -> features.put(e.getKey(), e.getValue().asText()));
            return Optional.of(new FeatureSpec(features, tree.path("label").asText()));
        } catch (IOException e) {
            throw CairnException.invalid("cannot read " + file + ": " + e.getMessage());
        }
    }

    void write(Path packageDir) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("features", features);
        out.put("label", label);
        try {
            Files.createDirectories(packageDir);
            Files.writeString(packageDir.resolve(FILE), JSON.writeValueAsString(out));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + packageDir.resolve(FILE), e);
        }
    }

    /** The features and labels of the rows of {@code table} (optionally filtered) whose label is not NULL. */
    Rows read(TableFile table, Optional<String> where, String step) {
        List<String> select = new ArrayList<>();
        features.values().forEach(expr -> select.add("CAST((" + expr + ") AS DOUBLE)"));
        select.add("CAST((" + label + ") AS DOUBLE)");
        String sql = "SELECT " + String.join(", ", select) + " FROM " + TableFile.VIEW + " WHERE (" + label
                + ") IS NOT NULL" + where.map(w -> " AND (" + w + ")").orElse("");
        int width = features.size();
        List<float[]> rows = new ArrayList<>();
        List<Float> labels = new ArrayList<>();
        try (Statement st = table.connection().createStatement();
                ResultSet rs = st.executeQuery(sql)) {
            while (rs.next()) {
                float[] row = new float[width];
                for (int i = 0; i < width; i++) {
                    double v = rs.getDouble(i + 1);
                    row[i] = rs.wasNull() ? Float.NaN : (float) v;
                }
                rows.add(row);
                labels.add((float) rs.getDouble(width + 1));
            }
        } catch (SQLException e) {
            throw CairnException.invalid("step '" + step + "': cannot compute the features or label " + features
                    + " / '" + label + "' on " + table.path() + ": " + firstLine(e.getMessage()));
        }
        float[] y = new float[labels.size()];
        for (int i = 0; i < y.length; i++) {
            y[i] = labels.get(i);
        }
        return new Rows(rows, y);
    }

    private static String firstLine(String m) {
        String s = m == null ? "" : m.strip();
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    /** Feature rows and their labels. */
    record Rows(List<float[]> features, float[] labels) {
        int size() {
            return labels.length;
        }

        float[] flat(int width) {
            float[] out = new float[features.size() * width];
            for (int i = 0; i < features.size(); i++) {
                System.arraycopy(features.get(i), 0, out, i * width, width);
            }
            return out;
        }
    }
}
