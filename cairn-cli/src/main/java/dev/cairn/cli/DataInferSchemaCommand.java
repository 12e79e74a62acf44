package dev.cairn.cli;

import dev.cairn.validation.Schema;
import dev.cairn.validation.SchemaInference;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code cairn data infer-schema}: writes an editable schema file inferred from a table. */
@Command(
        name = "infer-schema",
        mixinStandardHelpOptions = true,
        description =
                "Infer a schema (types, ranges, domains, completeness, uniqueness) from a table and suggest constraints.")
final class DataInferSchemaCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Parameters(paramLabel = "DATA", description = "Table (CSV, Parquet or JSON).")
    private Path data;

    @Option(
            names = {"-o", "--output"},
            paramLabel = "FILE",
            description = "Schema file to write (default: print it).")
    private Path output;

    @Override
    public Integer call() {
        Schema schema = SchemaInference.infer(data);
        PrintWriter out = spec.commandLine().getOut();
        if (output == null) {
            out.println(schema.toJson());
            out.flush();
            return 0;
        }
        schema.write(output);
        out.printf(
                "Wrote %s: %d columns. Suggested constraints (edit the file to keep or change them):%n",
                output, schema.columns().size());
        SchemaInference.suggestions(schema).forEach(s -> out.println("  " + s));
        out.flush();
        return 0;
    }
}
