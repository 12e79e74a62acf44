package dev.cairn.datasets;

import dev.cairn.core.CairnException;

/** One file of a dataset version: its path relative to the version's root (with '/'), SHA-256 and size. */
public record ManifestEntry(String path, String sha256, long size) {
    public ManifestEntry {
        requireSafePath(path);
        CairnException.requireArgument(
                sha256.matches("[0-9a-f]{64}"), "sha256 of '" + path + "' must be 64 hex digits; got '" + sha256 + "'");
        CairnException.requireArgument(size >= 0, "size of '" + path + "' must be >= 0; got " + size);
    }

    /** Rejects paths that could escape a checkout directory: absolute, empty segments, '.' or '..'. */
    static void requireSafePath(String path) {
        boolean safe = !path.isEmpty() && !path.startsWith("/") && !path.contains("\\") && !path.contains("\0");
        if (safe) {
            for (String segment : path.split("/", -1)) {
                safe &= !segment.isEmpty() && !segment.equals(".") && !segment.equals("..");
            }
        }
        CairnException.requireArgument(safe, "manifest path '" + path + "' is not a safe relative path");
    }
}
