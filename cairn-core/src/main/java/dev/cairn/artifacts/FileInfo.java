package dev.cairn.artifacts;

import java.util.OptionalLong;

/**
 * One entry of an artifact listing, as MLflow's {@code FileInfo}: a path relative to the listed
 * root, whether it is a directory, and a file's size.
 */
public record FileInfo(String path, boolean isDir, OptionalLong fileSize) {
    public static FileInfo file(String path, long size) {
        return new FileInfo(path, false, OptionalLong.of(size));
    }

    public static FileInfo directory(String path) {
        return new FileInfo(path, true, OptionalLong.empty());
    }
}
