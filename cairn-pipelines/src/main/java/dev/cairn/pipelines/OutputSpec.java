package dev.cairn.pipelines;

/** A named output of a step: a file or a directory at a path relative to the project directory. */
public record OutputSpec(String name, String path, Kind kind) {
    /** Whether an output is one file or a directory tree. */
    public enum Kind {
        FILE,
        DIRECTORY
    }
}
