package dev.cairn.datasets;

import java.util.List;

/**
 * What changed from version {@code from} to version {@code to}: files added, removed and changed,
 * and for tabular files present in both, schema, row-count and profile changes.
 */
public record DatasetDiff(
        DatasetVersion from,
        DatasetVersion to,
        List<ManifestEntry> added,
        List<ManifestEntry> removed,
        List<FileChange> changed,
        List<TableChange> tables) {
    public DatasetDiff {
        added = List.copyOf(added);
        removed = List.copyOf(removed);
        changed = List.copyOf(changed);
        tables = List.copyOf(tables);
    }

    public boolean identical() {
        return from.id().equals(to.id());
    }

    /** A file present in both versions with different content. */
    public record FileChange(String path, ManifestEntry before, ManifestEntry after) {}

    /** How one tabular file changed: rows, schema and profile. */
    public record TableChange(
            String path, long rowsBefore, long rowsAfter, List<String> schemaChanges, List<ProfileChange> profile) {
        public TableChange {
            schemaChanges = List.copyOf(schemaChanges);
            profile = List.copyOf(profile);
        }
    }

    /** One statistic of one column that changed, with both values as text. */
    public record ProfileChange(String column, String statistic, String before, String after) {}

    /** A plain-text report, one line per change. */
    public String render() {
        StringBuilder out = new StringBuilder();
        out.append(from.ref())
                .append(" (")
                .append(from.shortId())
                .append(") -> ")
                .append(to.ref())
                .append(" (")
                .append(to.shortId())
                .append(")\n");
        if (identical()) {
            return out.append("identical content\n").toString();
        }
        added.forEach(f ->
                out.append("+ ").append(f.path()).append(" (").append(f.size()).append(" bytes)\n"));
        removed.forEach(f ->
                out.append("- ").append(f.path()).append(" (").append(f.size()).append(" bytes)\n"));
        changed.forEach(c -> out.append("M ")
                .append(c.path())
                .append(" (")
                .append(c.before().size())
                .append(" -> ")
                .append(c.after().size())
                .append(" bytes)\n"));
        for (TableChange t : tables) {
            out.append("table ")
                    .append(t.path())
                    .append(": rows ")
                    .append(t.rowsBefore())
                    .append(" -> ")
                    .append(t.rowsAfter())
                    .append('\n');
            t.schemaChanges().forEach(s -> out.append("  schema: ").append(s).append('\n'));
            t.profile().forEach(p -> out.append("  ")
                    .append(p.column())
                    .append('.')
                    .append(p.statistic())
                    .append(": ")
                    .append(p.before())
                    .append(" -> ")
                    .append(p.after())
                    .append('\n'));
        }
        return out.toString();
    }
}
