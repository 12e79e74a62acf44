package dev.cairn.cli;

import dev.cairn.core.CairnException;
import dev.cairn.models.DataType;
import dev.cairn.models.LoadedModel;
import dev.cairn.models.Models;
import dev.cairn.models.Signature;
import dev.cairn.models.Tensor;
import dev.cairn.models.TensorSpec;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.concurrent.Callable;
import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code cairn predict MODEL --input data.parquet|csv --output preds.parquet}: batch scoring in
 * constant memory. Rows stream from DuckDB in chunks, each chunk is predicted, and the predictions
 * are appended to an on-disk DuckDB table that is finally copied to Parquet. The output has the
 * input's row number ({@code row}) and one column per output value.
 */
@Command(
        name = "predict",
        mixinStandardHelpOptions = true,
        description = "Score a Parquet or CSV file with a model package; writes Parquet (row, predictions...).")
final class PredictCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Parameters(index = "0", paramLabel = "MODEL", description = "A model package directory.")
    private String model;

    @Option(names = "--input", required = true, paramLabel = "FILE", description = "Parquet (.parquet) or CSV input.")
    private Path input;

    @Option(names = "--output", required = true, paramLabel = "FILE", description = "Parquet file to write.")
    private Path output;

    @Option(
            names = "--batch-size",
            defaultValue = "4096",
            description = "Rows per predict call (default: ${DEFAULT-VALUE}).")
    private int batchSize;

    @Override
    public Integer call() throws Exception {
        CairnException.requireArgument(batchSize >= 1, "--batch-size must be at least 1, got " + batchSize);
        if (!Files.isRegularFile(input)) {
            throw CairnException.notFound("--input '" + input + "': no such file");
        }
        Path scratch = Files.createTempDirectory("cairn-predict-");
        long rows;
        try (LoadedModel loaded = Models.load(ServeCommand.packageDirectory(model));
                Connection db = open(scratch)) {
            rows = score(loaded, db);
        } finally {
            deleteQuietly(scratch);
        }
        PrintWriter out = spec.commandLine().getOut();
        out.println("Scored " + rows + " rows into " + output);
        out.flush();
        return 0;
    }

    private static Connection open(Path scratch) throws SQLException {
        var properties = new Properties();
        properties.setProperty(org.duckdb.DuckDBDriver.JDBC_STREAM_RESULTS, "true");
        Connection db = DriverManager.getConnection("jdbc:duckdb:" + scratch.resolve("predict.duckdb"), properties);
        try (Statement s = db.createStatement()) {
            // DuckDB spills past this instead of growing: what keeps the whole run in constant memory.
            s.execute("SET memory_limit = '512MB'");
            s.execute("SET temp_directory = " + literal(scratch.resolve("spill").toString()));
        }
        return db;
    }

    private long score(LoadedModel loaded, Connection db) throws SQLException {
        Signature signature = loaded.manifest().signature();
        List<String> outputColumns = createOutputTable(db, signature);
        long row = 0;
        try (Connection reader = ((DuckDBConnection) db).duplicate();
                Statement select = reader.createStatement();
                ResultSet rs = select.executeQuery("SELECT * FROM " + source(input));
                DuckDBAppender appender =
                        ((DuckDBConnection) db).createAppender(DuckDBConnection.DEFAULT_SCHEMA, "predictions")) {
            var chunk = new Chunk(signature, rs, batchSize);
            while (chunk.fill()) {
                List<Tensor> outputs = loaded.predict(chunk.tensors());
                for (int r = 0; r < chunk.size(); r++) {
                    appender.beginRow();
                    appender.append(row++);
                    for (Tensor output : outputs) {
                        appendRow(appender, output, r);
                    }
                    appender.endRow();
                }
            }
            appender.flush();
        }
        try (Statement copy = db.createStatement()) {
            copy.execute(
                    "COPY predictions TO " + literal(output.toAbsolutePath().toString()) + " (FORMAT PARQUET)");
        }
        return outputColumns.isEmpty() ? 0 : row;
    }

    private static List<String> createOutputTable(Connection db, Signature signature) throws SQLException {
        var columns = new ArrayList<String>();
        var ddl = new StringBuilder("CREATE TABLE predictions (\"row\" BIGINT");
        for (TensorSpec spec : signature.outputs()) {
            int width = spec.shape().size() <= 1 ? 1 : (int) spec.rowWidth();
            for (int k = 0; k < width; k++) {
                String name = width == 1 ? spec.name() : spec.name() + "_" + k;
                columns.add(name);
                ddl.append(", \"")
                        .append(name.replace("\"", "\"\""))
                        .append("\" ")
                        .append(sqlType(spec.datatype()));
            }
        }
        try (Statement s = db.createStatement()) {
            s.execute(ddl.append(")").toString());
        }
        return columns;
    }

    private static void appendRow(DuckDBAppender appender, Tensor output, int r) throws SQLException {
        int width = output.rowWidth();
        Object data = output.data();
        for (int k = r * width; k < (r + 1) * width; k++) {
            if (data instanceof float[] f) {
                appender.append(f[k]);
            } else if (data instanceof double[] d) {
                appender.append(d[k]);
            } else if (data instanceof int[] n) {
                appender.append(n[k]);
            } else if (data instanceof long[] n) {
                appender.append(n[k]);
            } else if (data instanceof boolean[] b) {
                appender.append(b[k]);
            } else {
                appender.append(((String[]) data)[k]);
            }
        }
    }

    private static String sqlType(DataType type) {
        return switch (type.storage()) {
            case FLOAT -> "FLOAT";
            case DOUBLE -> "DOUBLE";
            case INT -> "INTEGER";
            case LONG -> "BIGINT";
            case BOOL -> "BOOLEAN";
            case STRING -> "VARCHAR";
        };
    }

    private static String source(Path file) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        String path = literal(file.toAbsolutePath().toString());
        if (name.endsWith(".parquet")) {
            return "read_parquet(" + path + ")";
        }
        if (name.endsWith(".csv") || name.endsWith(".csv.gz")) {
            return "read_csv(" + path + ", header = true)";
        }
        throw CairnException.invalid("--input '" + file + "': expected a .parquet or .csv file");
    }

    private static String literal(String text) {
        return "'" + text.replace("'", "''") + "'";
    }

    private static void deleteQuietly(Path directory) {
        try (var walk = Files.walk(directory)) {
            walk.sorted(java.util.Comparator.reverseOrder())
                    .forEach(p -> p.toFile().delete());
        } catch (java.io.IOException e) {
            // a temporary directory left behind is harmless
        }
    }

    /** Up to {@code capacity} rows of the result set, held as one typed array per model input. */
    private static final class Chunk {
        private final Signature signature;
        private final ResultSet rs;
        private final int capacity;
        private final int[] columns;
        private final Object[] arrays;
        private final int width;
        private int size;

        Chunk(Signature signature, ResultSet rs, int capacity) throws SQLException {
            this.signature = signature;
            this.rs = rs;
            this.capacity = capacity;
            var meta = rs.getMetaData();
            if (signature.isColumnar()) {
                columns = new int[signature.inputs().size()];
                for (int i = 0; i < columns.length; i++) {
                    columns[i] = rs.findColumn(signature.inputs().get(i).name());
                }
                width = 1;
            } else if (signature.inputs().size() == 1) {
                // One [-1, k] input: the file's first k columns, in order.
                width = (int) signature.inputs().get(0).rowWidth();
                if (meta.getColumnCount() < width) {
                    throw CairnException.invalid("--input has " + meta.getColumnCount() + " columns but input '"
                            + signature.inputs().get(0).name() + "' takes " + width);
                }
                columns = new int[width];
                for (int i = 0; i < width; i++) {
                    columns[i] = i + 1;
                }
            } else {
                throw CairnException.invalid("batch scoring supports column inputs or one [-1, k] input");
            }
            arrays = new Object[signature.inputs().size()];
        }

        boolean fill() throws SQLException {
            List<TensorSpec> specs = signature.inputs();
            for (int i = 0; i < arrays.length; i++) {
                arrays[i] = java.lang.reflect.Array.newInstance(
                        specs.get(i).datatype().storage().arrayClass().getComponentType(), capacity * width);
            }
            size = 0;
            while (size < capacity && rs.next()) {
                for (int c = 0; c < columns.length; c++) {
                    int input = signature.isColumnar() ? c : 0;
                    int at = signature.isColumnar() ? size : size * width + c;
                    set(arrays[input], at, columns[c]);
                }
                size++;
            }
            return size > 0;
        }

        private void set(Object array, int at, int column) throws SQLException {
            if (array instanceof float[] f) {
                f[at] = rs.getFloat(column);
            } else if (array instanceof double[] d) {
                d[at] = rs.getDouble(column);
            } else if (array instanceof int[] n) {
                n[at] = rs.getInt(column);
            } else if (array instanceof long[] n) {
                n[at] = rs.getLong(column);
            } else if (array instanceof boolean[] b) {
                b[at] = rs.getBoolean(column);
            } else {
                ((String[]) array)[at] = rs.getString(column);
            }
        }

        int size() {
            return size;
        }

        List<Tensor> tensors() {
            var tensors = new ArrayList<Tensor>(arrays.length);
            for (int i = 0; i < arrays.length; i++) {
                TensorSpec spec = signature.inputs().get(i);
                Object data =
                        java.lang.reflect.Array.newInstance(arrays[i].getClass().getComponentType(), size * width);
                System.arraycopy(arrays[i], 0, data, 0, size * width);
                long[] shape = signature.isColumnar() ? new long[] {size} : new long[] {size, width};
                tensors.add(Tensor.of(spec.name(), spec.datatype(), data, shape));
            }
            return tensors;
        }
    }
}
