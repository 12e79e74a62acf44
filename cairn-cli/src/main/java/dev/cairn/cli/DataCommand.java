package dev.cairn.cli;

import dev.cairn.artifacts.BlobStore;
import dev.cairn.datasets.CheckoutResult;
import dev.cairn.datasets.ColumnStats;
import dev.cairn.datasets.DatasetDiff;
import dev.cairn.datasets.DatasetVersion;
import dev.cairn.datasets.DatasetVersions;
import dev.cairn.datasets.ManifestEntry;
import dev.cairn.datasets.TableSummary;
import dev.cairn.datasets.VersionDetails;
import dev.cairn.server.ServerConfig;
import dev.cairn.store.Database;
import dev.cairn.store.StoreUrl;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/** {@code cairn data add|list|show|diff|checkout|rm|alias}: dataset versions in the local Cairn home or a team store. */
@Command(
        name = "data",
        mixinStandardHelpOptions = true,
        subcommands = {DataValidateCommand.class, DataInferSchemaCommand.class},
        description = "Version datasets: add files or directories, list, show, diff, check out and remove versions.")
final class DataCommand {
    @Spec
    private CommandSpec spec;

    @Mixin
    private Workspace workspace;

    /** The store and blob directory a command works on: the Cairn home's by default. */
    static final class Workspace {
        @Option(
                names = "--home",
                scope = ScopeType.INHERIT,
                paramLabel = "DIR",
                description =
                        "Cairn home holding the default store and artifacts (default: $CAIRN_HOME, else ~/.cairn).")
        Path home;

        @Option(
                names = "--store",
                scope = ScopeType.INHERIT,
                paramLabel = "URL",
                description =
                        "Metadata store: sqlite:///path/cairn.db or postgresql://host/db (default: under the home).")
        String store;

        @Option(
                names = "--artifacts",
                scope = ScopeType.INHERIT,
                paramLabel = "DIR",
                description = "Blob directory (default: artifacts/ under the home).")
        Path artifacts;

        ServerConfig config() {
            ServerConfig.Builder config = ServerConfig.builder();
            config.home(home == null ? ServerConfig.cairnHome() : home.toAbsolutePath());
            if (store != null) {
                config.storeUrl(store);
            }
            if (artifacts != null) {
                config.artifactsRoot(artifacts.toAbsolutePath());
            }
            return config.build();
        }

        Database openDatabase() {
            return Database.open(StoreUrl.parse(config().storeUrl()));
        }
    }

    @Command(name = "add", mixinStandardHelpOptions = true, description = "Add a file or directory as a new version.")
    int add(
            @Parameters(paramLabel = "PATH", description = "File or directory to version.") Path path,
            @Option(names = "--name", required = true, description = "Dataset name.") String name,
            @Option(names = "--message", defaultValue = "", description = "What changed.") String message,
            @Option(names = "--alias", description = "Also point this alias at the new version.") String alias,
            @Option(names = "--no-profile", description = "Skip the row counts, schemas and profiles of tables.")
                    boolean noProfile) {
        try (Database db = workspace.openDatabase()) {
            DatasetVersions versions = versions(db);
            long start = System.nanoTime();
            DatasetVersions.AddResult result =
                    versions.add(new DatasetVersions.AddRequest(path, name, message, !noProfile));
            double seconds = (System.nanoTime() - start) / 1e9;
            DatasetVersion v = alias == null
                    ? result.version()
                    : versions.setAlias(result.version().ref(), alias);
            out().printf(
                            Locale.ROOT,
                            "%s %s (%s): %d files, %s, %s new in %.2f s (%.1f MB/s)%n",
                            result.created() ? "Added" : "Unchanged, already",
                            v.ref(),
                            v.shortId(),
                            v.fileCount(),
                            bytes(v.totalBytes()),
                            bytes(result.bytesStored()),
                            seconds,
                            v.totalBytes() / 1e6 / Math.max(seconds, 1e-9));
            return 0;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List versions, newest first.")
    int list(
            @Parameters(arity = "0..1", paramLabel = "NAME", description = "Only this dataset.") String name,
            @Option(names = "--json", description = "Print JSON instead of a table.") boolean json) {
        try (Database db = workspace.openDatabase()) {
            DatasetVersions versions = versions(db);
            List<DatasetVersion> all = name == null ? versions.listAll() : versions.list(name);
            if (json) {
                JsonOutput.print(
                        out(), all.stream().map(DataCommand::versionJson).toList());
                return 0;
            }
            Table table = new Table("DATASET", "VERSION", "ID", "FILES", "BYTES", "CREATED", "ALIASES", "MESSAGE");
            all.forEach(v -> table.row(
                    v.name(),
                    v.number(),
                    v.shortId(),
                    v.fileCount(),
                    v.totalBytes(),
                    Table.time(v.createdAt().toEpochMilli()),
                    String.join(",", v.aliases()),
                    v.message()));
            table.print(out());
            return 0;
        }
    }

    @Command(
            name = "show",
            mixinStandardHelpOptions = true,
            description = "Show a version's files, schemas and profiles.")
    int show(
            @Parameters(
                            paramLabel = "NAME[:VERSION]",
                            description = "Version: number, alias or id prefix (default: latest).")
                    String ref,
            @Option(names = "--json", description = "Print JSON.") boolean json) {
        try (Database db = workspace.openDatabase()) {
            VersionDetails details = versions(db).show(ref);
            if (json) {
                Map<String, Object> map = versionJson(details.version());
                map.put("files", details.manifest().files());
                map.put("tables", details.tables().tables());
                JsonOutput.print(out(), map);
                return 0;
            }
            printDetails(details);
            return 0;
        }
    }

    private void printDetails(VersionDetails details) {
        DatasetVersion v = details.version();
        PrintWriter out = out();
        out.printf("%s  id %s%n", v.ref(), v.id());
        out.printf(
                "  %s%n  created %s, %d files, %s%n",
                v.message(), Table.time(v.createdAt().toEpochMilli()), v.fileCount(), bytes(v.totalBytes()));
        if (!v.aliases().isEmpty()) {
            out.println("  aliases: " + String.join(", ", v.aliases()));
        }
        Table files = new Table("PATH", "SIZE", "SHA256");
        for (ManifestEntry f : details.manifest().files()) {
            files.row(f.path(), f.size(), f.sha256().substring(0, 16));
        }
        files.print(out);
        details.tables().tables().forEach((path, table) -> printTable(out, path, table));
    }

    private static void printTable(PrintWriter out, String path, TableSummary table) {
        out.printf("%n%s: %s, %d rows%n", path, table.format(), table.rowCount());
        Table columns = new Table("COLUMN", "TYPE", "NULLS", "DISTINCT~", "PROFILE");
        for (TableSummary.Column c : table.columns()) {
            columns.row(c.name(), c.type(), c.nullCount(), c.distinctEstimate(), profile(c.stats()));
        }
        columns.print(out);
    }

    private static String profile(ColumnStats stats) {
        if (stats instanceof ColumnStats.Numeric n) {
            return String.format(
                    Locale.ROOT, "min %.4g max %.4g mean %.4g sd %.4g", n.min(), n.max(), n.mean(), n.stddev());
        }
        if (stats instanceof ColumnStats.Text t) {
            return "top "
                    + String.join(
                            ", ",
                            t.topValues().stream()
                                    .map(v -> v.value() + "=" + v.count())
                                    .toList());
        }
        ColumnStats.Range r = (ColumnStats.Range) stats;
        return r.min().isEmpty() ? "" : r.min() + " .. " + r.max();
    }

    @Command(
            name = "diff",
            mixinStandardHelpOptions = true,
            description = "Files, schema, rows and profile changes from A to B.")
    int diff(
            @Parameters(index = "0", paramLabel = "A", description = "From version.") String a,
            @Parameters(index = "1", paramLabel = "B", description = "To version.") String b,
            @Option(names = "--json", description = "Print JSON.") boolean json) {
        try (Database db = workspace.openDatabase()) {
            DatasetDiff diff = versions(db).diff(a, b);
            if (json) {
                Map<String, Object> map = new LinkedHashMap<>();
                map.put("from", versionJson(diff.from()));
                map.put("to", versionJson(diff.to()));
                map.put("added", diff.added());
                map.put("removed", diff.removed());
                map.put("changed", diff.changed());
                map.put("tables", diff.tables());
                JsonOutput.print(out(), map);
            } else {
                out().print(diff.render());
                out().flush();
            }
            return 0;
        }
    }

    @Command(
            name = "checkout",
            mixinStandardHelpOptions = true,
            description = "Restore a version into a directory, verifying every file's hash.")
    int checkout(
            @Parameters(index = "0", paramLabel = "NAME[:VERSION]", description = "Version to restore.") String ref,
            @Parameters(index = "1", paramLabel = "DIR", description = "Target directory (created when absent).")
                    Path dir,
            @Option(names = "--force", description = "Overwrite the version's files in a non-empty directory.")
                    boolean force) {
        try (Database db = workspace.openDatabase()) {
            long start = System.nanoTime();
            CheckoutResult result = versions(db).checkout(ref, dir, force);
            double seconds = (System.nanoTime() - start) / 1e9;
            out().printf(
                            Locale.ROOT,
                            "Restored %s (%s) into %s: %d files, %s verified in %.2f s (%.1f MB/s)%n",
                            result.version().ref(),
                            result.version().shortId(),
                            result.directory(),
                            result.files(),
                            bytes(result.bytes()),
                            seconds,
                            result.bytes() / 1e6 / Math.max(seconds, 1e-9));
            return 0;
        }
    }

    @Command(
            name = "rm",
            mixinStandardHelpOptions = true,
            description = "Remove a version's record (shared content stays).")
    int rm(@Parameters(paramLabel = "NAME:VERSION", description = "Version to remove.") String ref) {
        try (Database db = workspace.openDatabase()) {
            DatasetVersion removed = versions(db).remove(ref);
            out().println("Removed " + removed.ref() + " (" + removed.shortId() + ")");
            return 0;
        }
    }

    @Command(name = "alias", mixinStandardHelpOptions = true, description = "Point an alias at a version.")
    int alias(
            @Parameters(index = "0", paramLabel = "NAME:VERSION", description = "Version.") String ref,
            @Parameters(index = "1", paramLabel = "ALIAS", description = "Alias, e.g. golden.") String alias) {
        try (Database db = workspace.openDatabase()) {
            DatasetVersion v = versions(db).setAlias(ref, alias);
            out().println("Alias " + v.name() + ":" + alias + " -> " + v.ref() + " (" + v.shortId() + ")");
            return 0;
        }
    }

    private DatasetVersions versions(Database db) {
        return new DatasetVersions(db, BlobStore.local(workspace.config().artifactsRoot()));
    }

    private static Map<String, Object> versionJson(DatasetVersion v) {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("name", v.name());
        map.put("version", v.number());
        map.put("id", v.id());
        map.put("uri", v.uri());
        map.put("message", v.message());
        map.put("source_path", v.sourcePath());
        map.put("file_count", v.fileCount());
        map.put("total_bytes", v.totalBytes());
        map.put("created_at", v.createdAt().toEpochMilli());
        map.put("aliases", v.aliases());
        return map;
    }

    private static String bytes(long n) {
        return n < 1_000_000 ? n + " B" : String.format(Locale.ROOT, "%.1f MB", n / 1e6);
    }

    private PrintWriter out() {
        return spec.commandLine().getOut();
    }
}
