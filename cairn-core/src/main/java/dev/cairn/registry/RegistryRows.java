package dev.cairn.registry;

import dev.cairn.tracking.BoundSql;
import dev.cairn.tracking.Tag;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

/** Reads registry rows and completes them with their tags, aliases and latest versions in a few set queries. */
final class RegistryRows {
    private RegistryRows() {}

    /** A registered model's own columns. */
    record ModelRow(long id, String name, String description, long created, long updated) {}

    /** A version's key in SQL, to attach tags and aliases. */
    private record VersionKey(long modelId, int version) {}

    static Optional<ModelRow> findModel(Handle h, String name) {
        return new BoundSql()
                        .append(
                                "SELECT " + RegistrySearchQuery.MODEL_COLUMNS
                                        + " FROM registered_models m WHERE m.name = ?",
                                name)
                        .list(h, RegistryRows::modelRow)
                        .stream()
                        .findFirst();
    }

    static ModelRow modelRow(ResultSet rs) throws SQLException {
        return new ModelRow(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getLong(4), rs.getLong(5));
    }

    /** The models of {@code rows}, in order, with their tags, aliases and latest version per stage. */
    static List<RegisteredModel> models(Handle h, List<ModelRow> rows) {
        if (rows.isEmpty()) {
            return List.of();
        }
        List<Long> ids = rows.stream().map(ModelRow::id).toList();
        Map<Long, List<Tag>> tags = new HashMap<>();
        new BoundSql()
                .append("SELECT model_id, key, value FROM registered_model_tags WHERE model_id IN ")
                .appendList(ids)
                .append(" ORDER BY model_id, key")
                .forEachRow(h, rs -> tags.computeIfAbsent(rs.getLong(1), k -> new ArrayList<>())
                        .add(new Tag(rs.getString(2), rs.getString(3))));
        Map<Long, List<ModelAlias>> aliases = new HashMap<>();
        new BoundSql()
                .append("SELECT model_id, alias, version FROM registered_model_aliases WHERE model_id IN ")
                .appendList(ids)
                .append(" ORDER BY model_id, alias")
                .forEachRow(h, rs -> aliases.computeIfAbsent(rs.getLong(1), k -> new ArrayList<>())
                        .add(new ModelAlias(rs.getString(2), rs.getInt(3))));
        Map<String, List<ModelVersion>> latest = new HashMap<>();
        for (ModelVersion v : latestPerStage(h, ids)) {
            latest.computeIfAbsent(v.name(), k -> new ArrayList<>()).add(v);
        }
        return rows.stream()
                .map(r -> new RegisteredModel(
                        r.name(),
                        r.created(),
                        r.updated(),
                        r.description(),
                        latest.getOrDefault(r.name(), List.of()),
                        tags.getOrDefault(r.id(), List.of()),
                        aliases.getOrDefault(r.id(), List.of())))
                .toList();
    }

    /** For each model in {@code ids}, its newest version in each stage that has one. */
    static List<ModelVersion> latestPerStage(Handle h, List<Long> ids) {
        return versions(
                h,
                new BoundSql()
                        .append("SELECT " + RegistrySearchQuery.VERSION_COLUMNS + RegistrySearchQuery.VERSION_FROM
                                + " WHERE v.model_id IN ")
                        .appendList(ids)
                        .append(" AND v.version = (SELECT MAX(l.version) FROM model_versions l"
                                + " WHERE l.model_id = v.model_id AND l.current_stage = v.current_stage)")
                        .append(" ORDER BY v.model_id, v.version"));
    }

    /** Runs a query selecting {@link RegistrySearchQuery#VERSION_COLUMNS} and attaches tags and aliases. */
    static List<ModelVersion> versions(Handle h, BoundSql query) {
        List<VersionKey> keys = new ArrayList<>();
        List<ModelVersion> bare = new ArrayList<>();
        query.forEachRow(h, rs -> {
            keys.add(new VersionKey(rs.getLong(1), rs.getInt(3)));
            bare.add(versionRow(rs));
        });
        if (bare.isEmpty()) {
            return bare;
        }
        List<Long> ids = new ArrayList<>(
                new LinkedHashSet<>(keys.stream().map(VersionKey::modelId).toList()));
        Map<VersionKey, List<Tag>> tags = new HashMap<>();
        new BoundSql()
                .append("SELECT model_id, version, key, value FROM model_version_tags WHERE model_id IN ")
                .appendList(ids)
                .append(" ORDER BY key")
                .forEachRow(h, rs -> tags.computeIfAbsent(
                                new VersionKey(rs.getLong(1), rs.getInt(2)), k -> new ArrayList<>())
                        .add(new Tag(rs.getString(3), rs.getString(4))));
        Map<VersionKey, List<String>> aliases = new HashMap<>();
        new BoundSql()
                .append("SELECT model_id, version, alias FROM registered_model_aliases WHERE model_id IN ")
                .appendList(ids)
                .append(" ORDER BY alias")
                .forEachRow(h, rs -> aliases.computeIfAbsent(
                                new VersionKey(rs.getLong(1), rs.getInt(2)), k -> new ArrayList<>())
                        .add(rs.getString(3)));
        List<ModelVersion> result = new ArrayList<>(bare.size());
        for (int i = 0; i < bare.size(); i++) {
            ModelVersion v = bare.get(i);
            VersionKey key = keys.get(i);
            result.add(new ModelVersion(
                    v.name(),
                    v.version(),
                    v.creationTimestamp(),
                    v.lastUpdatedTimestamp(),
                    v.userId(),
                    v.currentStage(),
                    v.description(),
                    v.source(),
                    v.runId(),
                    v.runLink(),
                    v.status(),
                    v.storageLocation(),
                    tags.getOrDefault(key, List.of()),
                    aliases.getOrDefault(key, List.of())));
        }
        return result;
    }

    private static ModelVersion versionRow(ResultSet rs) throws SQLException {
        return new ModelVersion(
                rs.getString(2),
                rs.getInt(3),
                rs.getLong(4),
                rs.getLong(5),
                rs.getString(6),
                Stage.parse(rs.getString(7)),
                rs.getString(8),
                rs.getString(9),
                rs.getString(10),
                rs.getString(11),
                rs.getString(12),
                rs.getString(13),
                List.of(),
                List.of());
    }
}
