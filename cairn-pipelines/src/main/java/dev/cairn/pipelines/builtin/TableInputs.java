package dev.cairn.pipelines.builtin;

import dev.cairn.core.CairnException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/** Finds the table file of an input: the file itself, or the one table file of a directory (a dataset checkout). */
public final class TableInputs {
    private TableInputs() {}

    /** {@code input} itself when it is a file, else its one table file; fails naming {@code step} otherwise. */
    public static Path table(Path input, String step) {
        if (Files.isRegularFile(input)) {
            return input;
        }
        List<Path> tables;
        try (Stream<Path> walk = Files.walk(input)) {
            tables = walk.filter(Files::isRegularFile)
                    .filter(TableInputs::isTable)
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + input, e);
        }
        if (tables.size() != 1) {
            throw CairnException.invalid("step '" + step + "': input " + input + " must be a table file or a directory"
                    + " with exactly one .csv, .parquet or .json file; found " + tables.size());
        }
        return tables.get(0);
    }

    private static boolean isTable(Path p) {
        String name = p.getFileName().toString().toLowerCase(Locale.ROOT).replaceFirst("\\.gz$", "");
        return name.endsWith(".csv")
                || name.endsWith(".tsv")
                || name.endsWith(".parquet")
                || name.endsWith(".json")
                || name.endsWith(".jsonl");
    }
}
