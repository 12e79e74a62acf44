package dev.cairn.cli;

import dev.cairn.core.CairnException;
import dev.cairn.drift.ColumnDrift;
import dev.cairn.drift.ColumnStatus;
import dev.cairn.drift.DriftOptions;
import dev.cairn.drift.DriftReport;
import dev.cairn.drift.DriftTest;
import dev.cairn.drift.SchemaIssue;
import dev.cairn.drift.TableDrift;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code cairn drift}: per-column drift between a reference table and a current table. */
@Command(
        name = "drift",
        mixinStandardHelpOptions = true,
        description = {
            "Compare a current table with a reference table (CSV, Parquet or JSON) column by column.",
            "By default each column gets the test Evidently would choose (KS, chi-square or Z for small",
            "references; normed Wasserstein or Jensen-Shannon for large ones) with its default threshold."
        })
final class DriftCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Option(names = "--reference", required = true, paramLabel = "FILE", description = "Reference table.")
    private Path reference;

    @Option(names = "--current", required = true, paramLabel = "FILE", description = "Current table.")
    private Path current;

    @Option(
            names = "--columns",
            split = ",",
            paramLabel = "NAME",
            description = "Only these columns (comma-separated; default: all).")
    private List<String> columns = List.of();

    @Option(
            names = "--test",
            paramLabel = "TEST",
            description = "Use this test wherever it applies: ks, chisquare, z, psi, jensenshannon, wasserstein, linf.")
    private String test;

    @Option(names = "--threshold", paramLabel = "COLUMN=VALUE", description = "Threshold for a column (repeatable).")
    private Map<String, Double> thresholds = Map.of();

    @Option(
            names = "--drift-share",
            defaultValue = "0.5",
            description = "Share of drifted columns at which the dataset drifts (default: ${DEFAULT-VALUE}).")
    private double driftShare;

    @Option(names = "--fail-on-drift", description = "Exit with code 3 when the dataset drifts.")
    private boolean failOnDrift;

    @Option(names = "--json", description = "Print JSON instead of a table.")
    private boolean json;

    @Override
    public Integer call() {
        DriftOptions options = DriftOptions.defaults().withDriftShare(driftShare);
        if (test != null) {
            options = options.withTestForAll(DriftTest.byId(test)
                    .orElseThrow(() -> CairnException.invalid("--test must be one of ks, chisquare, z, psi, "
                            + "jensenshannon, wasserstein, linf; got '" + test + "'")));
        }
        for (Map.Entry<String, Double> t : thresholds.entrySet()) {
            options = options.withThreshold(t.getKey(), t.getValue());
        }
        DriftReport report = TableDrift.compare(reference, current, columns, options);
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            JsonOutput.print(out, report);
        } else {
            print(out, report);
        }
        return failOnDrift && report.datasetDrift() ? 3 : 0;
    }

    private static void print(PrintWriter out, DriftReport report) {
        Table table = new Table("COLUMN", "KIND", "TEST", "STATISTIC", "SCORE", "THRESHOLD", "VERDICT", "NOTE");
        for (ColumnDrift c : report.columns()) {
            table.row(
                    c.column(),
                    c.kind().name().toLowerCase(Locale.ROOT),
                    c.test().id(),
                    Table.number(c.statistic()),
                    Table.number(c.score()),
                    Table.number(c.threshold()),
                    c.status() != ColumnStatus.TESTED ? "n/a" : c.drifted() ? "DRIFT" : "ok",
                    note(c));
        }
        table.print(out);
        for (SchemaIssue issue : report.schemaIssues()) {
            out.printf("%s: %s (%s)%n", issue.column(), issue.status().name().toLowerCase(Locale.ROOT), issue.detail());
        }
        out.printf(
                Locale.ROOT,
                "%d of %d columns drifted (share %.2f, threshold %.2f): %s%n",
                report.driftedColumns(),
                report.testedColumns(),
                report.driftShare(),
                report.driftShareThreshold(),
                report.datasetDrift() ? "DATASET DRIFT" : "no dataset drift");
        out.flush();
    }

    private static String note(ColumnDrift c) {
        StringBuilder note = new StringBuilder();
        if (c.status() != ColumnStatus.TESTED) {
            note.append(c.status().name().toLowerCase(Locale.ROOT));
        }
        long invalid =
                c.current().nan() + c.current().positiveInfinity() + c.current().negativeInfinity();
        if (c.current().nulls() > 0 || invalid > 0) {
            append(note, c.current().nulls() + " null, " + invalid + " NaN/inf excluded");
        }
        if (c.unseenCategories() > 0) {
            append(note, c.unseenCategories() + " unseen " + c.unseenExamples());
        }
        if (c.approximate()) {
            append(note, "binned, error <= " + Table.number(c.errorBound()));
        }
        return note.toString();
    }

    private static void append(StringBuilder note, String text) {
        note.append(note.length() == 0 ? "" : "; ").append(text);
    }
}
