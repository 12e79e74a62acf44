package dev.cairn.drift;

import dev.cairn.validation.DataType;
import dev.cairn.validation.TableColumn;
import dev.cairn.validation.TableFile;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Drift between two table files (CSV, Parquet, JSON): rows are streamed from DuckDB into a reference
 * profile and a current window. Integer and floating-point columns are numeric; strings and booleans
 * categorical; other types (dates, timestamps, nested) are reported as unsupported.
 */
public final class TableDrift {
    private TableDrift() {}

    /** Compares all columns, or only {@code columns} when not empty. */
    public static DriftReport compare(Path reference, Path current, List<String> columns, DriftOptions options) {
        try (TableFile ref = TableFile.open(reference);
                TableFile cur = TableFile.open(current)) {
            List<SchemaIssue> issues = new ArrayList<>();
            List<DriftColumn> refColumns = driftColumns(ref, columns, issues);
            List<DriftColumn> curColumns = driftColumns(cur, columns, new ArrayList<>());
            for (String wanted : columns) {
                boolean known = ref.columns().stream().anyMatch(c -> c.name().equals(wanted))
                        || cur.columns().stream().anyMatch(c -> c.name().equals(wanted));
                if (!known) {
                    issues.add(new SchemaIssue(wanted, ColumnStatus.UNKNOWN_COLUMN, "in neither table"));
                }
            }
            Window refWindow = Window.forReference(refColumns);
            stream(ref, refWindow);
            ReferenceProfile profile = ReferenceProfile.of(refWindow);
            Window curWindow = profile.newWindow(curColumns);
            stream(cur, curWindow);
            DriftReport report = DriftAnalysis.compare(profile, curWindow, options);
            issues.addAll(0, report.schemaIssues());
            return new DriftReport(
                    report.columns(),
                    issues,
                    report.testedColumns(),
                    report.driftedColumns(),
                    report.driftShare(),
                    report.driftShareThreshold(),
                    report.datasetDrift());
        }
    }

    /**
     * The reference profile of a table file's numeric, string and boolean columns (only
     * {@code columns} when not empty), for monitors that compare many windows with one reference.
     */
    public static ReferenceProfile profile(Path table, List<String> columns) {
        try (TableFile file = TableFile.open(table)) {
            Window window = Window.forReference(driftColumns(file, columns, new ArrayList<>()));
            stream(file, window);
            return ReferenceProfile.of(window);
        }
    }

    /** A current window holding a table file, counted in the profile's bins; merge such windows freely. */
    public static Window window(ReferenceProfile profile, Path table, List<String> columns) {
        try (TableFile file = TableFile.open(table)) {
            Window window = profile.newWindow(driftColumns(file, columns, new ArrayList<>()));
            stream(file, window);
            return window;
        }
    }

    private static List<DriftColumn> driftColumns(TableFile table, List<String> wanted, List<SchemaIssue> issues) {
        Set<String> selected = new LinkedHashSet<>(wanted);
        List<DriftColumn> out = new ArrayList<>();
        for (TableColumn c : table.columns()) {
            if (!selected.isEmpty() && !selected.contains(c.name())) {
                continue;
            }
            if (c.type().isNumeric()) {
                out.add(DriftColumn.numeric(c.name()));
            } else if (c.type() == DataType.STRING || c.type() == DataType.BOOLEAN) {
                out.add(DriftColumn.categorical(c.name()));
            } else {
                issues.add(new SchemaIssue(c.name(), ColumnStatus.UNSUPPORTED_TYPE, "type " + c.duckDbType()));
            }
        }
        return out;
    }

    private static void stream(TableFile table, Window window) {
        List<DriftColumn> columns = window.columns();
        if (columns.isEmpty()) {
            return;
        }
        StringBuilder sql = new StringBuilder("SELECT ");
        for (int i = 0; i < columns.size(); i++) {
            DriftColumn c = columns.get(i);
            String q = TableFile.quote(c.name());
            sql.append(i == 0 ? "" : ", ")
                    .append(c.kind() == ColumnKind.NUMERIC ? q + "::DOUBLE" : "CAST(" + q + " AS VARCHAR)");
        }
        sql.append(" FROM ").append(TableFile.VIEW);
        try (Statement st = table.connection().createStatement();
                ResultSet rs = st.executeQuery(sql.toString())) {
            int n = columns.size();
            boolean[] numeric = new boolean[n];
            for (int i = 0; i < n; i++) {
                numeric[i] = columns.get(i).kind() == ColumnKind.NUMERIC;
            }
            while (rs.next()) {
                for (int i = 0; i < n; i++) {
                    if (numeric[i]) {
                        double v = rs.getDouble(i + 1);
                        if (rs.wasNull()) {
                            window.acceptNull(i);
                        } else {
                            window.acceptNumber(i, v);
                        }
                    } else {
                        String v = rs.getString(i + 1);
                        if (v == null) {
                            window.acceptNull(i);
                        } else {
                            window.acceptCategory(i, v);
                        }
                    }
                }
            }
        } catch (SQLException e) {
            throw table.failure(e);
        }
    }
}
