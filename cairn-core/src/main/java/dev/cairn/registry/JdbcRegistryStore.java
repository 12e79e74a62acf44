package dev.cairn.registry;

import dev.cairn.core.CairnException;
import dev.cairn.core.Page;
import dev.cairn.lineage.EdgeType;
import dev.cairn.lineage.LineageEdge;
import dev.cairn.lineage.LineageStore;
import dev.cairn.lineage.LineageUri;
import dev.cairn.store.Database;
import dev.cairn.tracking.BoundSql;
import dev.cairn.tracking.PageToken;
import dev.cairn.tracking.Tag;
import dev.cairn.tracking.TrackingStore;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

/** {@link RegistryStore} on a {@link Database}: SQLite or PostgreSQL, with MLflow's semantics. */
final class JdbcRegistryStore implements RegistryStore {
    private final Database db;
    private final TrackingStore tracking;

    JdbcRegistryStore(Database db, TrackingStore tracking) {
        this.db = db;
        this.tracking = tracking;
    }

    static CairnException modelNotFound(String name) {
        return CairnException.notFound("Registered Model with name=" + name + " not found");
    }

    static CairnException versionNotFound(String name, int version) {
        return CairnException.notFound("Model Version (name=" + name + ", version=" + version + ") not found");
    }

    // ---- registered models

    @Override
    public RegisteredModel createRegisteredModel(String name, List<Tag> tags, String description) {
        RegistryValidation.name(name);
        tags.forEach(RegistryValidation::tag);
        RegistryValidation.description(description);
        db.write(h -> {
            requireNameFree(h, name);
            long now = System.currentTimeMillis();
            long id = h.createUpdate("INSERT INTO registered_models (name, description, creation_timestamp,"
                            + " last_updated_timestamp, last_version) VALUES (?, ?, ?, ?, 0)")
                    .bind(0, name)
                    .bind(1, description)
                    .bind(2, now)
                    .bind(3, now)
                    .executeAndReturnGeneratedKeys("model_id")
                    .mapTo(Long.class)
                    .one();
            tags.forEach(tag -> upsertModelTag(h, id, tag));
            return id;
        });
        return getRegisteredModel(name);
    }

    private static void requireNameFree(Handle h, String name) {
        if (RegistryRows.findModel(h, name).isPresent()) {
            throw CairnException.alreadyExists("Registered Model (name=" + name + ") already exists.");
        }
    }

    private static void upsertModelTag(Handle h, long modelId, Tag tag) {
        h.execute(
                "INSERT INTO registered_model_tags (model_id, key, value) VALUES (?, ?, ?)"
                        + " ON CONFLICT (model_id, key) DO UPDATE SET value = excluded.value",
                modelId,
                tag.key(),
                tag.value());
    }

    @Override
    public RegisteredModel getRegisteredModel(String name) {
        RegistryValidation.name(name);
        return db.jdbi().withHandle(h -> {
            RegistryRows.ModelRow row = RegistryRows.findModel(h, name).orElseThrow(() -> modelNotFound(name));
            return RegistryRows.models(h, List.of(row)).get(0);
        });
    }

    @Override
    public RegisteredModel renameRegisteredModel(String name, String newName) {
        RegistryValidation.name(name);
        RegistryValidation.name(newName);
        db.write(h -> {
            long id = requireModel(h, name);
            if (!name.equals(newName)) {
                requireNameFree(h, newName);
            }
            return h.execute(
                    "UPDATE registered_models SET name = ?, last_updated_timestamp = ? WHERE model_id = ?",
                    newName,
                    System.currentTimeMillis(),
                    id);
        });
        return getRegisteredModel(newName);
    }

    @Override
    public RegisteredModel updateRegisteredModel(String name, String description) {
        RegistryValidation.name(name);
        RegistryValidation.description(description);
        db.write(h -> h.execute(
                "UPDATE registered_models SET description = ?, last_updated_timestamp = ? WHERE model_id = ?",
                description,
                System.currentTimeMillis(),
                requireModel(h, name)));
        return getRegisteredModel(name);
    }

    @Override
    public void deleteRegisteredModel(String name) {
        RegistryValidation.name(name);
        db.write(h -> {
            long id = requireModel(h, name);
            // Explicit, child tables first: SQLite enforces foreign keys only when asked to.
            for (String table : List.of(
                    "registered_model_aliases",
                    "model_version_tags",
                    "model_versions",
                    "registered_model_tags",
                    "registered_models")) {
                h.execute("DELETE FROM " + table + " WHERE model_id = ?", id);
            }
            return id;
        });
    }

    @Override
    public Page<RegisteredModel> searchRegisteredModels(RegistrySearch search) {
        int limit = PageToken.maxResults(search.maxResults(), RegistrySearch.MODELS_MAX_RESULTS_LIMIT);
        int offset = PageToken.decode(search.pageToken());
        BoundSql sql = RegistrySearchQuery.models(db.dialect(), search, offset, limit);
        return db.jdbi().withHandle(h -> {
            List<RegistryRows.ModelRow> rows = sql.list(h, RegistryRows::modelRow);
            List<RegisteredModel> page = RegistryRows.models(h, rows.subList(0, Math.min(limit, rows.size())));
            return page(page, rows.size() > limit, offset);
        });
    }

    private static <T> Page<T> page(List<T> items, boolean more, int offset) {
        return new Page<>(items, more ? Optional.of(PageToken.encode((long) offset + items.size())) : Optional.empty());
    }

    @Override
    public List<ModelVersion> getLatestVersions(String name, List<Stage> stages) {
        RegistryValidation.name(name);
        List<Stage> wanted = stages.isEmpty() ? Arrays.asList(Stage.values()) : stages;
        return db.jdbi().withHandle(h -> {
            long id = requireModel(h, name);
            List<ModelVersion> latest = new ArrayList<>();
            for (ModelVersion v : RegistryRows.latestPerStage(h, List.of(id))) {
                if (wanted.contains(v.currentStage())) {
                    latest.add(v);
                }
            }
            latest.sort((a, b) -> a.currentStage().compareTo(b.currentStage()));
            return latest;
        });
    }

    @Override
    public void setRegisteredModelTag(String name, Tag tag) {
        RegistryValidation.name(name);
        RegistryValidation.tag(tag);
        db.write(h -> {
            long id = requireModel(h, name);
            upsertModelTag(h, id, tag);
            return id;
        });
    }

    @Override
    public void deleteRegisteredModelTag(String name, String key) {
        RegistryValidation.name(name);
        RegistryValidation.key(key);
        db.write(h -> h.execute(
                "DELETE FROM registered_model_tags WHERE model_id = ? AND key = ?", requireModel(h, name), key));
    }

    private static long requireModel(Handle h, String name) {
        return RegistryRows.findModel(h, name)
                .orElseThrow(() -> modelNotFound(name))
                .id();
    }

    private static void touch(Handle h, long modelId, long now) {
        h.execute("UPDATE registered_models SET last_updated_timestamp = ? WHERE model_id = ?", now, modelId);
    }

    // ---- model versions

    @Override
    public ModelVersion createModelVersion(NewModelVersion request) {
        String name = RegistryValidation.name(request.name());
        CairnException.requireArgument(
                request.source() != null && request.source().length() <= RegistryValidation.MAX_SOURCE_LENGTH,
                "Parameter 'source' must be given and at most " + RegistryValidation.MAX_SOURCE_LENGTH
                        + " characters long");
        request.tags().forEach(RegistryValidation::tag);
        RegistryValidation.description(request.description());
        ModelSource source = ModelSource.resolve(request.source(), tracking, this::lookup);
        CairnException.requireArgument(
                request.runId().isEmpty() || request.runId().equals(source.runId()),
                "Invalid value '" + request.runId() + "' for parameter 'run_id': the source '" + request.source()
                        + "' belongs to run " + source.runId());
        int version = db.write(h -> insertVersion(h, request, source));
        return getModelVersion(name, Integer.toString(version));
    }

    private ModelVersion lookup(String name, String versionOrAlias, boolean alias) {
        return alias ? getModelVersionByAlias(name, versionOrAlias) : getModelVersion(name, versionOrAlias);
    }

    private static int insertVersion(Handle h, NewModelVersion request, ModelSource source) {
        long id = requireModel(h, request.name());
        long now = System.currentTimeMillis();
        h.execute(
                "UPDATE registered_models SET last_version = last_version + 1, last_updated_timestamp = ?"
                        + " WHERE model_id = ?",
                now,
                id);
        int version = h.createQuery("SELECT last_version FROM registered_models WHERE model_id = ?")
                .bind(0, id)
                .mapTo(Integer.class)
                .one();
        h.execute(
                "INSERT INTO model_versions (model_id, version, creation_timestamp, last_updated_timestamp, user_id,"
                        + " current_stage, description, source, run_id, run_link, status, storage_location)"
                        + " VALUES (?, ?, ?, ?, '', ?, ?, ?, ?, ?, ?, ?)",
                id,
                version,
                now,
                now,
                Stage.NONE.wireName(),
                request.description(),
                request.source(),
                source.runId(),
                request.runLink(),
                ModelVersion.READY,
                source.storageLocation());
        request.tags().forEach(tag -> upsertVersionTag(h, id, version, tag));
        String from = source.path().isRoot()
                ? LineageUri.run(source.runId())
                : LineageUri.artifact(source.runId(), source.path().value());
        LineageStore.recordIn(
                h, List.of(LineageEdge.of(from, EdgeType.REGISTERED_AS, LineageUri.model(request.name(), version))));
        return version;
    }

    private static void upsertVersionTag(Handle h, long modelId, int version, Tag tag) {
        h.execute(
                "INSERT INTO model_version_tags (model_id, version, key, value) VALUES (?, ?, ?, ?)"
                        + " ON CONFLICT (model_id, version, key) DO UPDATE SET value = excluded.value",
                modelId,
                version,
                tag.key(),
                tag.value());
    }

    @Override
    public ModelVersion getModelVersion(String name, String version) {
        RegistryValidation.name(name);
        int number = RegistryValidation.version(version);
        return db.jdbi().withHandle(h -> findVersion(h, name, number));
    }

    private static ModelVersion findVersion(Handle h, String name, int version) {
        long id = requireModel(h, name);
        List<ModelVersion> found = RegistryRows.versions(
                h,
                new BoundSql()
                        .append(
                                "SELECT " + RegistrySearchQuery.VERSION_COLUMNS + RegistrySearchQuery.VERSION_FROM
                                        + " WHERE v.model_id = ? AND v.version = ?",
                                id,
                                version));
        if (found.isEmpty()) {
            throw versionNotFound(name, version);
        }
        return found.get(0);
    }

    /** The model's id after checking that {@code version} of it exists. */
    private static long requireVersion(Handle h, String name, int version) {
        long id = requireModel(h, name);
        boolean exists = h.createQuery("SELECT COUNT(*) FROM model_versions WHERE model_id = ? AND version = ?")
                        .bind(0, id)
                        .bind(1, version)
                        .mapTo(Integer.class)
                        .one()
                > 0;
        if (!exists) {
            throw versionNotFound(name, version);
        }
        return id;
    }

    @Override
    public ModelVersion updateModelVersion(String name, String version, String description) {
        RegistryValidation.name(name);
        int number = RegistryValidation.version(version);
        RegistryValidation.description(description);
        db.write(h -> {
            long id = requireVersion(h, name, number);
            long now = System.currentTimeMillis();
            touch(h, id, now);
            return h.execute(
                    "UPDATE model_versions SET description = ?, last_updated_timestamp = ?"
                            + " WHERE model_id = ? AND version = ?",
                    description,
                    now,
                    id,
                    number);
        });
        return getModelVersion(name, version);
    }

    @Override
    public void deleteModelVersion(String name, String version) {
        RegistryValidation.name(name);
        int number = RegistryValidation.version(version);
        db.write(h -> {
            long id = requireVersion(h, name, number);
            for (String table : List.of("registered_model_aliases", "model_version_tags", "model_versions")) {
                h.execute("DELETE FROM " + table + " WHERE model_id = ? AND version = ?", id, number);
            }
            touch(h, id, System.currentTimeMillis());
            return id;
        });
    }

    @Override
    public Page<ModelVersion> searchModelVersions(RegistrySearch search) {
        int limit = PageToken.maxResults(search.maxResults(), RegistrySearch.VERSIONS_MAX_RESULTS_LIMIT);
        int offset = PageToken.decode(search.pageToken());
        BoundSql sql = RegistrySearchQuery.versions(db.dialect(), search, offset, limit);
        return db.jdbi().withHandle(h -> {
            List<ModelVersion> rows = RegistryRows.versions(h, sql);
            return page(rows.subList(0, Math.min(limit, rows.size())), rows.size() > limit, offset);
        });
    }

    @Override
    public ModelVersion transitionModelVersionStage(String name, String version, Stage stage, boolean archiveExisting) {
        RegistryValidation.name(name);
        int number = RegistryValidation.version(version);
        CairnException.requireArgument(
                !archiveExisting || stage.active(),
                "Model version transition cannot archive existing model versions because '" + stage.wireName()
                        + "' is not an Active stage. Valid stages are Staging and Production");
        db.write(h -> {
            long id = requireVersion(h, name, number);
            long now = System.currentTimeMillis();
            if (archiveExisting) {
                h.execute(
                        "UPDATE model_versions SET current_stage = ?, last_updated_timestamp = ?"
                                + " WHERE model_id = ? AND current_stage = ? AND version <> ?",
                        Stage.ARCHIVED.wireName(),
                        now,
                        id,
                        stage.wireName(),
                        number);
            }
            touch(h, id, now);
            return h.execute(
                    "UPDATE model_versions SET current_stage = ?, last_updated_timestamp = ?"
                            + " WHERE model_id = ? AND version = ?",
                    stage.wireName(),
                    now,
                    id,
                    number);
        });
        return getModelVersion(name, version);
    }

    @Override
    public void setModelVersionTag(String name, String version, Tag tag) {
        RegistryValidation.name(name);
        int number = RegistryValidation.version(version);
        RegistryValidation.tag(tag);
        db.write(h -> {
            long id = requireVersion(h, name, number);
            upsertVersionTag(h, id, number, tag);
            return id;
        });
    }

    @Override
    public void deleteModelVersionTag(String name, String version, String key) {
        RegistryValidation.name(name);
        int number = RegistryValidation.version(version);
        RegistryValidation.key(key);
        db.write(h -> h.execute(
                "DELETE FROM model_version_tags WHERE model_id = ? AND version = ? AND key = ?",
                requireVersion(h, name, number),
                number,
                key));
    }

    // ---- aliases

    @Override
    public void setRegisteredModelAlias(String name, String alias, String version) {
        RegistryValidation.name(name);
        RegistryValidation.alias(alias);
        int number = RegistryValidation.version(version);
        db.write(h -> {
            long id = requireVersion(h, name, number);
            h.execute(
                    "INSERT INTO registered_model_aliases (model_id, alias, version) VALUES (?, ?, ?)"
                            + " ON CONFLICT (model_id, alias) DO UPDATE SET version = excluded.version",
                    id,
                    alias,
                    number);
            touch(h, id, System.currentTimeMillis());
            return id;
        });
    }

    @Override
    public void deleteRegisteredModelAlias(String name, String alias) {
        RegistryValidation.name(name);
        RegistryValidation.alias(alias);
        db.write(h -> {
            long id = requireModel(h, name);
            int deleted = h.execute("DELETE FROM registered_model_aliases WHERE model_id = ? AND alias = ?", id, alias);
            if (deleted > 0) {
                touch(h, id, System.currentTimeMillis());
            }
            return deleted;
        });
    }

    @Override
    public ModelVersion getModelVersionByAlias(String name, String alias) {
        RegistryValidation.name(name);
        CairnException.requireArgument(
                alias != null && !alias.isEmpty(), "Registered model alias name cannot be empty.");
        return db.jdbi().withHandle(h -> {
            long id = requireModel(h, name);
            Integer version = h.createQuery(
                            "SELECT version FROM registered_model_aliases WHERE model_id = ? AND alias = ?")
                    .bind(0, id)
                    .bind(1, alias)
                    .mapTo(Integer.class)
                    .findOne()
                    .orElseThrow(() -> CairnException.notFound("Registered model alias " + alias + " not found."));
            return findVersion(h, name, version);
        });
    }

    @Override
    public String getModelVersionDownloadUri(String name, String version) {
        return getModelVersion(name, version).storageLocation();
    }
}
