package dev.cairn.cli;

import java.io.PrintWriter;
import java.math.BigDecimal;
import java.math.MathContext;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

/**
 * Aligned plain-text table output for commands: a header row, then rows; numbers right-aligned,
 * text left-aligned, two spaces between columns.
 */
public final class Table {
    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneId.systemDefault());

    private final List<String> headers;
    private final List<List<String>> rows = new ArrayList<>();

    public Table(List<String> headers) {
        this.headers = List.copyOf(headers);
    }

    public Table(String... headers) {
        this(List.of(headers));
    }

    /** Adds a row; missing trailing cells print empty, {@code String.valueOf} renders each cell. */
    public Table row(List<?> cells) {
        List<String> row = new ArrayList<>();
        for (int i = 0; i < headers.size(); i++) {
            row.add(i < cells.size() ? String.valueOf(cells.get(i)) : "");
        }
        rows.add(row);
        return this;
    }

    public Table row(Object... cells) {
        return row(List.of(cells));
    }

    public boolean isEmpty() {
        return rows.isEmpty();
    }

    public void print(PrintWriter out) {
        int[] widths = new int[headers.size()];
        boolean[] numeric = new boolean[headers.size()];
        for (int column = 0; column < headers.size(); column++) {
            widths[column] = headers.get(column).length();
            numeric[column] = !rows.isEmpty();
            for (List<String> row : rows) {
                String cell = row.get(column);
                widths[column] = Math.max(widths[column], cell.length());
                numeric[column] &= cell.isEmpty() || isNumber(cell);
            }
        }
        out.println(line(headers, widths, numeric));
        rows.forEach(row -> out.println(line(row, widths, numeric)));
        out.flush();
    }

    /** A metric or param value as people read it: at most six significant digits, no exponent for everyday sizes. */
    public static String number(double value) {
        if (Double.isNaN(value) || Double.isInfinite(value)) {
            return String.valueOf(value);
        }
        if (value == Math.rint(value) && Math.abs(value) < 1e15) {
            return String.valueOf((long) value);
        }
        double magnitude = Math.abs(value);
        if (magnitude >= 1e-4 && magnitude < 1e9) {
            return new BigDecimal(value)
                    .round(new MathContext(6))
                    .stripTrailingZeros()
                    .toPlainString();
        }
        return String.format("%.5e", value);
    }

    /** Epoch milliseconds as local date and time; empty for 0 (not set). */
    public static String time(long epochMillis) {
        return epochMillis == 0 ? "" : TIME.format(Instant.ofEpochMilli(epochMillis));
    }

    /** The time between two epoch-millisecond instants, e.g. {@code 3.2s} or {@code 5m12s}; empty if unfinished. */
    public static String duration(long startMillis, long endMillis) {
        if (startMillis == 0 || endMillis < startMillis) {
            return "";
        }
        long millis = endMillis - startMillis;
        if (millis < 60_000) {
            return String.format("%.1fs", millis / 1000.0);
        }
        long seconds = millis / 1000;
        return seconds < 3600
                ? String.format("%dm%02ds", seconds / 60, seconds % 60)
                : String.format("%dh%02dm", seconds / 3600, (seconds % 3600) / 60);
    }

    private static String line(List<String> cells, int[] widths, boolean[] numeric) {
        StringBuilder line = new StringBuilder();
        for (int column = 0; column < cells.size(); column++) {
            if (column > 0) {
                line.append("  ");
            }
            String cell = cells.get(column);
            String padding = " ".repeat(widths[column] - cell.length());
            line.append(numeric[column] ? padding + cell : cell + padding);
        }
        return line.toString().stripTrailing();
    }

    private static boolean isNumber(String cell) {
        try {
            Double.parseDouble(cell);
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }
}
