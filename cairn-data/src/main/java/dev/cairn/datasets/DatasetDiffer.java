package dev.cairn.datasets;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** Compares two versions' manifests and table summaries. */
final class DatasetDiffer {
    private DatasetDiffer() {}

    static DatasetDiff diff(VersionDetails a, VersionDetails b) {
        Map<String, ManifestEntry> before = a.manifest().byPath();
        Map<String, ManifestEntry> after = b.manifest().byPath();
        List<ManifestEntry> added = new ArrayList<>();
        List<ManifestEntry> removed = new ArrayList<>();
        List<DatasetDiff.FileChange> changed = new ArrayList<>();
        after.forEach((path, entry) -> {
            ManifestEntry old = before.get(path);
            if (old == null) {
                added.add(entry);
            } else if (!old.sha256().equals(entry.sha256())) {
                changed.add(new DatasetDiff.FileChange(path, old, entry));
            }
        });
        before.forEach((path, entry) -> {
            if (!after.containsKey(path)) {
                removed.add(entry);
            }
        });
        List<DatasetDiff.TableChange> tables = new ArrayList<>();
        for (DatasetDiff.FileChange change : changed) {
            TableSummary x = a.tables().tables().get(change.path());
            TableSummary y = b.tables().tables().get(change.path());
            if (x != null && y != null) {
                tables.add(compare(change.path(), x, y));
            }
        }
        return new DatasetDiff(a.version(), b.version(), added, removed, changed, tables);
    }

    static DatasetDiff.TableChange compare(String path, TableSummary x, TableSummary y) {
        Map<String, TableSummary.Column> before = columns(x);
        Map<String, TableSummary.Column> after = columns(y);
        List<String> schema = new ArrayList<>();
        List<DatasetDiff.ProfileChange> profile = new ArrayList<>();
        after.forEach((name, column) -> {
            TableSummary.Column old = before.get(name);
            if (old == null) {
                schema.add("column '" + name + "' added (" + column.type() + ")");
            } else if (!old.type().equals(column.type())) {
                schema.add("column '" + name + "' type " + old.type() + " -> " + column.type());
            } else {
                profile.addAll(compare(old, column));
            }
        });
        before.forEach((name, column) -> {
            if (!after.containsKey(name)) {
                schema.add("column '" + name + "' removed (" + column.type() + ")");
            }
        });
        return new DatasetDiff.TableChange(path, x.rowCount(), y.rowCount(), schema, profile);
    }

    private static List<DatasetDiff.ProfileChange> compare(TableSummary.Column a, TableSummary.Column b) {
        List<DatasetDiff.ProfileChange> changes = new ArrayList<>();
        add(changes, a.name(), "null_count", a.nullCount(), b.nullCount());
        add(changes, a.name(), "distinct_estimate", a.distinctEstimate(), b.distinctEstimate());
        if (a.stats() instanceof ColumnStats.Numeric x && b.stats() instanceof ColumnStats.Numeric y) {
            add(changes, a.name(), "min", x.min(), y.min());
            add(changes, a.name(), "max", x.max(), y.max());
            add(changes, a.name(), "mean", x.mean(), y.mean());
            add(changes, a.name(), "stddev", x.stddev(), y.stddev());
        } else if (a.stats() instanceof ColumnStats.Range x && b.stats() instanceof ColumnStats.Range y) {
            add(changes, a.name(), "min", x.min(), y.min());
            add(changes, a.name(), "max", x.max(), y.max());
        } else if (a.stats() instanceof ColumnStats.Text x && b.stats() instanceof ColumnStats.Text y) {
            add(changes, a.name(), "top_values", render(x), render(y));
        }
        return changes;
    }

    private static void add(List<DatasetDiff.ProfileChange> out, String column, String stat, Object a, Object b) {
        if (!Objects.equals(a, b)) {
            out.add(new DatasetDiff.ProfileChange(column, stat, String.valueOf(a), String.valueOf(b)));
        }
    }

    private static void add(List<DatasetDiff.ProfileChange> out, String column, String stat, double a, double b) {
        // Aggregates computed in parallel may differ in their last bits; such noise is no change.
        boolean same = Double.compare(a, b) == 0 || Math.abs(a - b) <= 1e-9 * Math.max(Math.abs(a), Math.abs(b));
        if (!same) {
            out.add(new DatasetDiff.ProfileChange(column, stat, format(a), format(b)));
        }
    }

    private static String format(double value) {
        return Double.isNaN(value) ? "none" : String.format(java.util.Locale.ROOT, "%.6g", value);
    }

    private static String render(ColumnStats.Text text) {
        List<String> parts = new ArrayList<>();
        text.topValues().forEach(v -> parts.add(v.value() + "=" + v.count()));
        return String.join(", ", parts);
    }

    private static Map<String, TableSummary.Column> columns(TableSummary summary) {
        Map<String, TableSummary.Column> map = new LinkedHashMap<>();
        summary.columns().forEach(c -> map.put(c.name(), c));
        return map;
    }
}
