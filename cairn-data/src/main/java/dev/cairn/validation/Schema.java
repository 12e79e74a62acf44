package dev.cairn.validation;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import dev.cairn.core.CairnException;
import dev.cairn.core.ErrorCode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The expected shape of a table, kept in an editable JSON file ({@code "format": "cairn-schema/1"}):
 * inferred from data by {@link SchemaInference}, checked by {@link SchemaValidator}.
 */
public record Schema(String format, List<ColumnSchema> columns) {
    public static final String FORMAT = "cairn-schema/1";

    private static final ObjectMapper JSON =
            new ObjectMapper().registerModule(new Jdk8Module()).enable(SerializationFeature.INDENT_OUTPUT);

    public Schema {
        CairnException.requireArgument(FORMAT.equals(format), "schema format must be " + FORMAT + ": " + format);
        columns = List.copyOf(columns);
    }

    public static Schema of(List<ColumnSchema> columns) {
        return new Schema(FORMAT, columns);
    }

    public Optional<ColumnSchema> column(String name) {
        return columns.stream().filter(c -> c.name().equals(name)).findFirst();
    }

    /** The schema as the indented JSON of its file. */
    public String toJson() {
        try {
            return JSON.writeValueAsString(this);
        } catch (IOException e) {
            throw new CairnException(ErrorCode.INTERNAL_ERROR, "cannot render schema: " + e.getMessage(), e);
        }
    }

    /** Writes the schema as indented JSON. */
    public void write(Path file) {
        try {
            Files.writeString(file, toJson() + "\n");
        } catch (IOException e) {
            throw CairnException.invalid("cannot write schema " + file + ": " + e.getMessage());
        }
    }

    /** Reads a schema file; fails naming the file and the problem when it is not a valid schema. */
    public static Schema read(Path file) {
        if (!Files.isRegularFile(file)) {
            throw CairnException.notFound("schema file does not exist: " + file);
        }
        try {
            return JSON.readValue(file.toFile(), Schema.class);
        } catch (IOException e) {
            Throwable cause = e.getCause() instanceof CairnException c ? c : e;
            throw CairnException.invalid("invalid schema file " + file + ": " + cause.getMessage());
        }
    }
}
