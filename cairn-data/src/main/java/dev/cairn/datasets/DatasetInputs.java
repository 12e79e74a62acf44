package dev.cairn.datasets;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cairn.lineage.DatasetInputEdges;
import dev.cairn.lineage.LineageEdge;
import dev.cairn.lineage.LineageStore;
import dev.cairn.tracking.DatasetInput;
import dev.cairn.tracking.Tag;
import java.util.List;

/**
 * Maps Cairn dataset versions onto MLflow's dataset inputs, so that a run that logs one (from the
 * Java SDK or Python's {@code mlflow.log_input}) names the exact version, and records the
 * {@code consumed} lineage edge.
 */
public final class DatasetInputs {
    private DatasetInputs() {}

    /**
     * The MLflow dataset of a version: its name, digest (the version id's short form, as MLflow
     * keeps digests short), source type {@code cairn}, source {@code cairn-dataset:/<name>/<number>},
     * an MLflow column-spec schema when the version holds exactly one table, and a profile.
     */
    public static DatasetInput.Dataset dataset(VersionDetails details) {
        DatasetVersion version = details.version();
        return new DatasetInput.Dataset(
                version.name(),
                version.shortId(),
                DatasetInputEdges.SOURCE_TYPE,
                version.uri(),
                schema(details),
                profile(details));
    }

    /** The input of a run that trained on the version: MLflow's context tag says how it was used. */
    public static DatasetInput input(VersionDetails details, String context) {
        return new DatasetInput(dataset(details), List.of(new Tag("mlflow.data.context", context)));
    }

    /** Records that run {@code runId} consumed the Cairn datasets among {@code inputs}; returns the new edges. */
    public static int recordConsumption(LineageStore lineage, String runId, List<DatasetInput> inputs) {
        List<LineageEdge> edges = DatasetInputEdges.consumedBy(runId, inputs);
        return lineage.record(edges);
    }

    private static String schema(VersionDetails details) {
        if (details.tables().tables().size() != 1) {
            return "";
        }
        TableSummary table = details.tables().tables().values().iterator().next();
        ObjectNode root = TableSummaries.JSON.createObjectNode();
        ArrayNode columns = root.putArray("mlflow_colspec");
        for (TableSummary.Column column : table.columns()) {
            columns.addObject().put("type", mlflowType(column.type())).put("name", column.name());
        }
        return root.toString();
    }

    private static String profile(VersionDetails details) {
        ObjectNode root = TableSummaries.JSON.createObjectNode();
        long rows = details.tables().tables().values().stream()
                .mapToLong(TableSummary::rowCount)
                .sum();
        root.put("num_rows", rows);
        root.put("num_files", details.manifest().files().size());
        root.put("num_bytes", details.manifest().totalBytes());
        return root.toString();
    }

    private static String mlflowType(String duckdbType) {
        return switch (duckdbType) {
            case "BOOLEAN" -> "boolean";
            case "TINYINT", "SMALLINT", "INTEGER", "UTINYINT", "USMALLINT" -> "integer";
            case "BIGINT", "UINTEGER", "UBIGINT", "HUGEINT" -> "long";
            case "FLOAT", "REAL" -> "float";
            case "DOUBLE" -> "double";
            case "VARCHAR" -> "string";
            case "BLOB" -> "binary";
            default ->
                duckdbType.startsWith("DECIMAL")
                        ? "double"
                        : duckdbType.startsWith("TIMESTAMP") || duckdbType.equals("DATE") ? "datetime" : "string";
        };
    }
}
