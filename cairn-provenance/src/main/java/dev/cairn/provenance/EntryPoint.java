package dev.cairn.provenance;

import java.util.ArrayList;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * What a run executed: a process's command line, or one step of a pipeline with its action, the
 * parameters it saw and the inputs it read, so that a reproduction can run the same thing again.
 *
 * @param kind {@link #PROCESS}, {@link #PIPELINE} or {@link #STEP}
 * @param name the pipeline or step name; empty for a process
 * @param command the argv of a process or command step; {@code uses:<builtin>} for a built-in step
 * @param params the parameters as text, sorted by name
 * @param inputs the resolved inputs, sorted by name
 */
public record EntryPoint(
        String kind, String name, List<String> command, SortedMap<String, String> params, List<Input> inputs) {
    public static final String PROCESS = "process";
    public static final String PIPELINE = "pipeline";
    public static final String STEP = "step";

    public EntryPoint {
        command = List.copyOf(command);
        params = java.util.Collections.unmodifiableSortedMap(new TreeMap<>(params));
        List<Input> sorted = new ArrayList<>(inputs);
        sorted.sort((a, b) -> a.name().compareTo(b.name()));
        inputs = List.copyOf(sorted);
    }

    /** A process started with {@code commandLine}, with no declared parameters or inputs. */
    public static EntryPoint process(List<String> commandLine) {
        return new EntryPoint(PROCESS, "", commandLine, new TreeMap<>(), List.of());
    }

    /**
     * One input as the run resolved it.
     *
     * @param name the input's name in the step
     * @param reference what the step declared ({@code data/x.csv}, {@code dataset:flights},
     *     {@code steps.prep.outputs.table})
     * @param path where the run read it
     * @param sha256 the SHA-256 of the file, of the directory manifest, or the dataset version id
     * @param kind {@code file}, {@code dir}, {@code dataset}, {@code output-file} or {@code output-dir}
     */
    public record Input(String name, String reference, String path, String sha256, String kind) {}
}
