package dev.cairn.evaluation;

import dev.cairn.core.CairnException;
import dev.cairn.validation.TableFile;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** One streaming pass over a holdout table: rows in batches to the scorers, into the accumulators. */
final class HoldoutPass {
    private final TableFile file;
    private final Task task;
    private final String label;
    private final double threshold;
    private final Scorer candidate;
    private final Optional<Scorer> baseline;
    private final List<String> sliceColumns;
    private final List<String> fairnessAttributes;

    private final RowAccumulator[] overall;
    private final List<Map<String, RowAccumulator[]>> slices = new ArrayList<>();
    private final List<Map<String, BinaryAccumulator>> groups = new ArrayList<>();

    HoldoutPass(
            TableFile file,
            Task task,
            String label,
            double threshold,
            Scorer candidate,
            Optional<Scorer> baseline,
            List<String> sliceColumns,
            List<String> fairnessAttributes) {
        this.file = file;
        this.task = task;
        this.label = label;
        this.threshold = threshold;
        this.candidate = candidate;
        this.baseline = baseline;
        this.sliceColumns = List.copyOf(sliceColumns);
        this.fairnessAttributes = List.copyOf(fairnessAttributes);
        this.overall = newPair();
        for (String c : this.sliceColumns) {
            requireColumn(c, "slice column");
            slices.add(new HashMap<>());
        }
        for (String a : this.fairnessAttributes) {
            requireColumn(a, "fairness attribute");
            groups.add(new HashMap<>());
        }
    }

    private void requireColumn(String name, String what) {
        boolean known = file.columns().stream().anyMatch(c -> c.name().equals(name));
        CairnException.requireArgument(
                known,
                what + " " + name + " is not a column of " + file.path() + ", columns are "
                        + file.columns().stream().map(c -> c.name()).toList());
    }

    private RowAccumulator[] newPair() {
        return new RowAccumulator[] {
            RowAccumulator.of(task, threshold), baseline.isPresent() ? RowAccumulator.of(task, threshold) : null
        };
    }

    void run() {
        String sql = "SELECT (" + label + ") AS " + TableFile.quote(HoldoutEvaluation.labelColumn()) + ", * FROM "
                + TableFile.VIEW;
        try (Statement st = file.connection().createStatement();
                ResultSet rs = executeLabel(st, sql)) {
            ResultSetMetaData meta = rs.getMetaData();
            Map<String, Integer> positions = new LinkedHashMap<>();
            for (int i = 2; i <= meta.getColumnCount(); i++) {
                positions.put(meta.getColumnLabel(i), i - 2);
            }
            List<HoldoutRow> batch = new ArrayList<>(HoldoutEvaluation.BATCH);
            List<Object> labels = new ArrayList<>(HoldoutEvaluation.BATCH);
            long index = 0;
            while (rs.next()) {
                Object[] values = new Object[positions.size()];
                for (int i = 0; i < values.length; i++) {
                    values[i] = rs.getObject(i + 2);
                }
                labels.add(rs.getObject(1));
                batch.add(new HoldoutRow(index++, positions, values));
                if (batch.size() == HoldoutEvaluation.BATCH) {
                    flush(batch, labels);
                }
            }
            flush(batch, labels);
        } catch (SQLException e) {
            throw file.failure(e);
        }
    }

    private ResultSet executeLabel(Statement st, String sql) {
        try {
            return st.executeQuery(sql);
        } catch (SQLException e) {
            String m = e.getMessage() == null
                    ? ""
                    : e.getMessage().strip().lines().findFirst().orElse("");
            throw CairnException.invalid(
                    "label expression '" + label + "' cannot be evaluated on " + file.path() + ": " + m);
        }
    }

    private void flush(List<HoldoutRow> batch, List<Object> labels) {
        if (batch.isEmpty()) {
            return;
        }
        double[] c = scores(candidate, batch, "candidate");
        double[] b = baseline.isPresent() ? scores(baseline.get(), batch, "baseline") : null;
        for (int i = 0; i < batch.size(); i++) {
            HoldoutRow row = batch.get(i);
            double y = labelValue(labels.get(i), row.index());
            add(overall, y, c[i], b == null ? Double.NaN : b[i]);
            for (int s = 0; s < sliceColumns.size(); s++) {
                String value = row.text(sliceColumns.get(s)).orElse(Slice.NULL);
                add(slices.get(s).computeIfAbsent(value, v -> newPair()), y, c[i], b == null ? Double.NaN : b[i]);
            }
            for (int g = 0; g < fairnessAttributes.size(); g++) {
                String value = row.text(fairnessAttributes.get(g)).orElse(Slice.NULL);
                groups.get(g)
                        .computeIfAbsent(value, v -> new BinaryAccumulator(threshold))
                        .add(y != 0, c[i]);
            }
        }
        batch.clear();
        labels.clear();
    }

    private static void add(RowAccumulator[] pair, double label, double c, double b) {
        pair[0].add(label, c);
        if (pair[1] != null) {
            pair[1].add(label, b);
        }
    }

    private double[] scores(Scorer scorer, List<HoldoutRow> batch, String which) {
        double[] s = scorer.score(List.copyOf(batch));
        CairnException.requireArgument(
                s.length == batch.size(),
                which + " scorer returned " + s.length + " scores for a batch of " + batch.size()
                        + " rows starting at row " + batch.get(0).index());
        for (int i = 0; i < s.length; i++) {
            CairnException.requireArgument(
                    !Double.isNaN(s[i]),
                    which + " score is NaN at row " + batch.get(i).index());
        }
        return s;
    }

    private double labelValue(Object value, long row) {
        if (value == null) {
            throw CairnException.invalid("label '" + label + "' is NULL at row " + row);
        }
        double y;
        if (value instanceof Boolean b) {
            y = b ? 1 : 0;
        } else if (value instanceof Number n) {
            y = n.doubleValue();
        } else {
            throw CairnException.invalid(
                    "label '" + label + "' is not a number or boolean at row " + row + ": '" + value + "'");
        }
        if (task == Task.BINARY_CLASSIFICATION) {
            CairnException.requireArgument(
                    y == 0 || y == 1, "binary label '" + label + "' must be 0 or 1 at row " + row + ": " + y);
        }
        return y;
    }

    ModelComparison overall() {
        return comparison(overall);
    }

    private static ModelComparison comparison(RowAccumulator[] pair) {
        return pair[1] == null
                ? ModelComparison.candidateOnly(pair[0].result())
                : ModelComparison.of(pair[0].result(), pair[1].result());
    }

    /** Slices by size (largest first, then by value), values below {@code minSize} rows merged into OTHER. */
    List<Slice> slices(int minSize) {
        List<Slice> out = new ArrayList<>();
        for (int s = 0; s < sliceColumns.size(); s++) {
            RowAccumulator[] other = newPair();
            List<Map.Entry<String, RowAccumulator[]>> kept = new ArrayList<>();
            for (Map.Entry<String, RowAccumulator[]> e : new TreeMap<>(slices.get(s)).entrySet()) {
                if (e.getValue()[0].count() >= minSize) {
                    kept.add(e);
                } else {
                    other[0].addAll(e.getValue()[0]);
                    if (other[1] != null) {
                        other[1].addAll(e.getValue()[1]);
                    }
                }
            }
            kept.sort(Comparator.comparingLong((Map.Entry<String, RowAccumulator[]> e) -> -e.getValue()[0].count()));
            for (Map.Entry<String, RowAccumulator[]> e : kept) {
                out.add(new Slice(sliceColumns.get(s), e.getKey(), comparison(e.getValue())));
            }
            if (other[0].count() > 0) {
                out.add(new Slice(sliceColumns.get(s), Slice.OTHER, comparison(other)));
            }
        }
        return out;
    }

    List<Fairness> fairness() {
        List<Fairness> out = new ArrayList<>();
        for (int g = 0; g < fairnessAttributes.size(); g++) {
            out.add(Fairness.of(fairnessAttributes.get(g), groups.get(g)));
        }
        return out;
    }
}
