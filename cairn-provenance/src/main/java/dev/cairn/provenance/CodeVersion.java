package dev.cairn.provenance;

import java.util.List;

/** Which code a run executed: a git commit plus a digest of uncommitted changes, or why there is none. */
public sealed interface CodeVersion {
    /**
     * A git working tree: {@code commit} at HEAD, the SHA-256 of the full uncommitted diff (tracked
     * changes and untracked files, as {@code git apply} reads it; the digest of the empty diff when
     * clean), the untracked files included in it, and where the working directory sits in the
     * repository so that a re-run starts in the same place.
     */
    record Git(
            String commit,
            boolean dirty,
            String diffSha256,
            List<String> untrackedFiles,
            String repositoryRoot,
            String subdirectory,
            String remoteUrl)
            implements CodeVersion {
        public Git {
            untrackedFiles = List.copyOf(untrackedFiles);
        }
    }

    /** No code version could be recorded; {@code reason} says why (not a git repository, no commit, no git). */
    record None(String reason) implements CodeVersion {}
}
