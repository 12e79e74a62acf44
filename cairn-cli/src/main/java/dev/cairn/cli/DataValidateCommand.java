package dev.cairn.cli;

import dev.cairn.validation.Anomaly;
import dev.cairn.validation.Schema;
import dev.cairn.validation.SchemaValidator;
import dev.cairn.validation.ValidationResult;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code cairn data validate}: checks a table against a schema file; exit code 2 when it fails, as a gate. */
@Command(
        name = "validate",
        mixinStandardHelpOptions = true,
        description =
                "Validate a table (CSV, Parquet or JSON) against a schema file; exit code 2 on blocking anomalies.")
final class DataValidateCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Option(names = "--schema", required = true, paramLabel = "FILE", description = "Schema file (JSON).")
    private Path schema;

    @Parameters(paramLabel = "DATA", description = "Table to validate.")
    private Path data;

    @Option(names = "--json", description = "Print JSON instead of a table.")
    private boolean json;

    @Override
    public Integer call() {
        ValidationResult result = SchemaValidator.validate(Schema.read(schema), data);
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("table", result.table());
            body.put("rows", result.rows());
            body.put("passed", result.passed());
            body.put("anomalies", result.anomalies());
            JsonOutput.print(out, body);
        } else {
            if (!result.anomalies().isEmpty()) {
                Table table = new Table("COLUMN", "ANOMALY", "COUNT", "BLOCKING", "DETAIL", "EXAMPLES");
                for (Anomaly a : result.anomalies()) {
                    table.row(
                            a.column(),
                            a.kind().name().toLowerCase(Locale.ROOT),
                            a.count(),
                            a.blocking() ? "yes" : "no",
                            a.message(),
                            String.join(", ", a.examples()));
                }
                table.print(out);
            }
            out.printf(
                    "%s: %d rows, %d anomalies: %s%n",
                    result.table(), result.rows(), result.anomalies().size(), result.passed() ? "PASSED" : "FAILED");
            out.flush();
        }
        return result.passed() ? 0 : 2;
    }
}
