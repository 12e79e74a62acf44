package dev.cairn.pipelines.builtin;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.cairn.core.CairnException;
import dev.cairn.validation.Anomaly;
import dev.cairn.validation.Schema;
import dev.cairn.validation.SchemaValidator;
import dev.cairn.validation.ValidationResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * {@code uses: validate}: validates a table input against a schema file (as written by {@code cairn
 * data schema}), writes the report as JSON, and fails the step on blocking anomalies unless
 * {@code fail_on_anomalies: false}. The README of cairn-pipelines lists its {@code with:} keys.
 */
public final class ValidateStep implements BuiltinStep {
    private static final Set<String> KEYS = Set.of("schema", "input", "report", "fail_on_anomalies");
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    @Override
    public String name() {
        return "validate";
    }

    @Override
    public String version() {
        return "1";
    }

    @Override
    public void run(BuiltinContext context) throws Exception {
        StepConfig config = StepConfig.of(context, KEYS);
        Path schemaFile = context.workDir().resolve(config.string("schema"));
        if (!Files.isRegularFile(schemaFile)) {
            throw config.bad("schema", "names " + schemaFile + ", which does not exist");
        }
        Path table = TableInputs.table(config.input(context, "input", "data"), context.stepName());
        Path report = config.output(context, "report", "report");
        boolean fail = config.bool("fail_on_anomalies", true);
        ValidationResult result = SchemaValidator.validate(Schema.read(schemaFile), table);
        Files.createDirectories(report.getParent());
        Files.writeString(report, JSON.writeValueAsString(toMap(result)));
        context.logMetric("validation_rows", result.rows(), 0);
        context.logMetric("validation_anomalies", result.anomalies().size(), 0);
        for (Anomaly a : result.anomalies()) {
            context.log().println((a.blocking() ? "ANOMALY " : "note ") + a.column() + ": " + a.message());
        }
        context.log().println(result.passed() ? "validation passed" : "validation failed");
        if (fail && !result.passed()) {
            long blocking =
                    result.anomalies().stream().filter(Anomaly::blocking).count();
            throw CairnException.invalid(table.getFileName() + " has " + blocking
                    + " blocking anomalies against " + schemaFile.getFileName() + "; first: "
                    + result.anomalies().stream()
                            .filter(Anomaly::blocking)
                            .findFirst()
                            .map(a -> a.column() + ": " + a.message())
                            .orElse(""));
        }
    }

    private static Map<String, Object> toMap(ValidationResult r) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("table", r.table());
        out.put("rows", r.rows());
        out.put("passed", r.passed());
        out.put("anomalies", r.anomalies());
        return out;
    }
}
