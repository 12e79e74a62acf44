package dev.cairn.provenance;

/**
 * A captured {@link Provenance} with the uncommitted diff it names by digest. The diff (tracked
 * changes and untracked files, in {@code git apply --binary} form) is stored as an artifact of the
 * run; it is empty when the tree is clean or there is no git working tree.
 */
public record CapturedProvenance(Provenance provenance, byte[] diff) {
    public CapturedProvenance {
        diff = diff.clone();
    }

    @Override
    public byte[] diff() {
        return diff.clone();
    }
}
