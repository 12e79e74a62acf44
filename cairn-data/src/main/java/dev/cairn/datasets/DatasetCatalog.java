package dev.cairn.datasets;

import dev.cairn.core.CairnException;
import dev.cairn.store.Database;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.Query;

/** The SQL side of dataset versions: the {@code datasets}, {@code dataset_versions} and alias tables. */
final class DatasetCatalog {
    private static final String COLUMNS = "dataset_name, number, version_id, summary_sha, message, source_path,"
            + " file_count, total_bytes, created_at";

    private final Database database;

    DatasetCatalog(Database database) {
        this.database = database;
    }

    /** What {@link #publish} is asked to record. */
    record Draft(
            String name, String id, String summarySha, String message, String sourcePath, long files, long bytes) {}

    /**
     * Publishes a version in one transaction, or returns the version of this dataset that already
     * has the same content.
     */
    Published publish(Draft draft) {
        return database.write(handle -> {
            Optional<DatasetVersion> same = handle.createQuery("SELECT " + COLUMNS
                            + " FROM dataset_versions WHERE dataset_name = :name AND version_id = :id")
                    .bind("name", draft.name())
                    .bind("id", draft.id())
                    .map((rs, ctx) -> read(rs, List.of()))
                    .findOne();
            if (same.isPresent()) {
                return new Published(same.get(), false);
            }
            long now = Instant.now().toEpochMilli();
            handle.createUpdate("INSERT INTO datasets (name, created_at, next_number) VALUES (:name, :now, 1)"
                            + " ON CONFLICT (name) DO NOTHING")
                    .bind("name", draft.name())
                    .bind("now", now)
                    .execute();
            int number = handle.createQuery("UPDATE datasets SET next_number = next_number + 1 WHERE name = :name"
                            + " RETURNING next_number - 1")
                    .bind("name", draft.name())
                    .mapTo(Integer.class)
                    .one();
            handle.createUpdate("INSERT INTO dataset_versions (" + COLUMNS + ") VALUES (:name, :number, :id,"
                            + " :summary, :message, :source, :files, :bytes, :now)")
                    .bind("name", draft.name())
                    .bind("number", number)
                    .bind("id", draft.id())
                    .bind("summary", draft.summarySha())
                    .bind("message", draft.message())
                    .bind("source", draft.sourcePath())
                    .bind("files", draft.files())
                    .bind("bytes", draft.bytes())
                    .bind("now", now)
                    .execute();
            DatasetVersion version = new DatasetVersion(
                    draft.name(),
                    number,
                    draft.id(),
                    draft.summarySha(),
                    draft.message(),
                    draft.sourcePath(),
                    draft.files(),
                    draft.bytes(),
                    Instant.ofEpochMilli(now),
                    List.of());
            return new Published(version, true);
        });
    }

    /** A version and whether {@link #publish} created it (false: identical content already published). */
    record Published(DatasetVersion version, boolean created) {}

    DatasetVersion resolve(DatasetRef ref) {
        return database.jdbi().withHandle(handle -> {
            Optional<Integer> number = findNumber(handle, ref);
            if (number.isEmpty()) {
                throw CairnException.notFound("dataset version '" + ref + "' does not exist");
            }
            return versions(handle, ref.name(), number).get(0);
        });
    }

    private static Optional<Integer> findNumber(Handle handle, DatasetRef ref) {
        String selector = ref.selector();
        if (selector.matches("[0-9]{1,9}")) {
            return handle.createQuery("SELECT number FROM dataset_versions WHERE dataset_name = :name AND number = :n")
                    .bind("name", ref.name())
                    .bind("n", Integer.parseInt(selector))
                    .mapTo(Integer.class)
                    .findOne();
        }
        if (selector.equals(DatasetRef.LATEST)) {
            return handle.createQuery("SELECT number FROM dataset_versions WHERE dataset_name = :name"
                            + " ORDER BY number DESC LIMIT 1")
                    .bind("name", ref.name())
                    .mapTo(Integer.class)
                    .findOne();
        }
        Optional<Integer> alias = handle.createQuery(
                        "SELECT number FROM dataset_aliases WHERE dataset_name = :name AND alias = :alias")
                .bind("name", ref.name())
                .bind("alias", selector)
                .mapTo(Integer.class)
                .findOne();
        if (alias.isPresent() || !selector.matches("[0-9a-f]{6,64}")) {
            return alias;
        }
        List<Integer> byPrefix = handle.createQuery("SELECT number FROM dataset_versions WHERE dataset_name = :name"
                        + " AND version_id >= :prefix AND version_id < :end ORDER BY number")
                .bind("name", ref.name())
                .bind("prefix", selector)
                .bind("end", selector + "g")
                .mapTo(Integer.class)
                .list();
        CairnException.requireArgument(
                byPrefix.size() <= 1,
                "version id prefix '" + selector + "' of dataset '" + ref.name() + "' is ambiguous");
        return byPrefix.stream().findFirst();
    }

    /** The versions of {@code name} (all datasets when empty), newest first within a dataset. */
    List<DatasetVersion> list(Optional<String> name) {
        return database.jdbi().withHandle(handle -> versions(handle, name.orElse(""), Optional.empty()));
    }

    private static List<DatasetVersion> versions(Handle handle, String name, Optional<Integer> number) {
        String where = (name.isEmpty() ? "1 = 1" : "dataset_name = :name")
                + (number.isPresent() ? " AND number = :number" : "");
        Map<String, List<String>> aliases = new HashMap<>();
        Query aliasQuery = handle.createQuery(
                "SELECT dataset_name, number, alias FROM dataset_aliases WHERE " + where + " ORDER BY alias");
        bindFilter(aliasQuery, name, number)
                .map((rs, ctx) -> aliases.computeIfAbsent(rs.getString(1) + ":" + rs.getInt(2), k -> new ArrayList<>())
                        .add(rs.getString(3)))
                .list();
        Query query = handle.createQuery(
                "SELECT " + COLUMNS + " FROM dataset_versions WHERE " + where + " ORDER BY dataset_name, number DESC");
        return bindFilter(query, name, number)
                .map((rs, ctx) -> read(
                        rs, aliases.getOrDefault(rs.getString("dataset_name") + ":" + rs.getInt("number"), List.of())))
                .list();
    }

    private static Query bindFilter(Query query, String name, Optional<Integer> number) {
        if (!name.isEmpty()) {
            query.bind("name", name);
        }
        number.ifPresent(n -> query.bind("number", n));
        return query;
    }

    /** The newest version of {@code name}, if any. */
    Optional<DatasetVersion> latest(String name) {
        List<DatasetVersion> all = list(Optional.of(name));
        return all.stream().findFirst();
    }

    void setAlias(DatasetVersion version, String alias) {
        DatasetRef.requireAlias(alias);
        database.write(handle -> handle.createUpdate("INSERT INTO dataset_aliases (dataset_name, alias, number)"
                        + " VALUES (:name, :alias, :number)"
                        + " ON CONFLICT (dataset_name, alias) DO UPDATE SET number = excluded.number")
                .bind("name", version.name())
                .bind("alias", alias)
                .bind("number", version.number())
                .execute());
    }

    boolean removeAlias(String name, String alias) {
        return database.write(handle -> handle.createUpdate(
                                "DELETE FROM dataset_aliases WHERE dataset_name = :name AND alias = :alias")
                        .bind("name", name)
                        .bind("alias", alias)
                        .execute())
                > 0;
    }

    /** Deletes the version's row and its aliases; its blobs stay (other versions may share them). */
    void remove(DatasetVersion version) {
        database.write(handle -> {
            handle.createUpdate("DELETE FROM dataset_aliases WHERE dataset_name = :name AND number = :number")
                    .bind("name", version.name())
                    .bind("number", version.number())
                    .execute();
            return handle.createUpdate("DELETE FROM dataset_versions WHERE dataset_name = :name AND number = :number")
                    .bind("name", version.name())
                    .bind("number", version.number())
                    .execute();
        });
    }

    private static DatasetVersion read(ResultSet rs, List<String> aliases) throws SQLException {
        return new DatasetVersion(
                rs.getString("dataset_name"),
                rs.getInt("number"),
                rs.getString("version_id"),
                rs.getString("summary_sha"),
                rs.getString("message"),
                rs.getString("source_path"),
                rs.getLong("file_count"),
                rs.getLong("total_bytes"),
                Instant.ofEpochMilli(rs.getLong("created_at")),
                aliases);
    }
}
