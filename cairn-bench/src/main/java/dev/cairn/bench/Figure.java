package dev.cairn.bench;

import java.util.List;
import java.util.Locale;

/**
 * One row of the results table: what was measured, Cairn's figure, the target and MLflow's figure
 * from the same machine kind, whether the target is met, and the conditions of the measurement.
 */
record Figure(String measure, String cairn, String target, String mlflow, boolean met, String load, String detail) {

    static String format(String pattern, Object... args) {
        return String.format(Locale.ROOT, pattern, args);
    }

    static String markdown(List<Figure> figures) {
        StringBuilder table = new StringBuilder();
        table.append("| measure | Cairn | Cairn target | MLflow 2.17.2 (4 gunicorn workers) |\n");
        table.append("|---|---|---|---|\n");
        for (Figure f : figures) {
            String mark = f.met() ? "" : " (misses target)";
            table.append(format("| %s | %s%s | %s | %s |%n", f.measure(), f.cairn(), mark, f.target(), f.mlflow()));
        }
        table.append("\n| measure | load average (1, 5, 15 min) at the start of the measurement | details |\n");
        table.append("|---|---|---|\n");
        for (Figure f : figures) {
            table.append(format("| %s | %s | %s |%n", f.measure(), f.load(), f.detail()));
        }
        return table.toString();
    }
}
