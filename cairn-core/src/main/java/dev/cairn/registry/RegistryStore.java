package dev.cairn.registry;

import dev.cairn.core.Page;
import dev.cairn.store.Database;
import dev.cairn.tracking.Tag;
import dev.cairn.tracking.TrackingStore;
import java.util.List;

/**
 * The model registry with MLflow 2.17's semantics: registered models, auto-numbered versions,
 * tags, aliases and legacy stages. Versions are given as the decimal strings MLflow's API carries;
 * every method validates its input and throws {@link dev.cairn.core.CairnException} with MLflow's
 * error code, and a write returns only after its transaction has committed. A version's source
 * must name an artifact of a run this server tracks.
 */
public interface RegistryStore {
    /** The registry on {@code database}; {@code tracking} resolves the runs that sources name. */
    static RegistryStore on(Database database, TrackingStore tracking) {
        return new JdbcRegistryStore(database, tracking);
    }

    RegisteredModel createRegisteredModel(String name, List<Tag> tags, String description);

    RegisteredModel getRegisteredModel(String name);

    /** Renames a model; its versions, tags and aliases follow. */
    RegisteredModel renameRegisteredModel(String name, String newName);

    RegisteredModel updateRegisteredModel(String name, String description);

    /** Deletes a model with all its versions, tags and aliases. */
    void deleteRegisteredModel(String name);

    Page<RegisteredModel> searchRegisteredModels(RegistrySearch search);

    /** The newest version in each of {@code stages} (all stages when empty), ordered by stage. */
    List<ModelVersion> getLatestVersions(String name, List<Stage> stages);

    void setRegisteredModelTag(String name, Tag tag);

    void deleteRegisteredModelTag(String name, String key);

    ModelVersion createModelVersion(NewModelVersion version);

    ModelVersion getModelVersion(String name, String version);

    ModelVersion updateModelVersion(String name, String version, String description);

    void deleteModelVersion(String name, String version);

    Page<ModelVersion> searchModelVersions(RegistrySearch search);

    /** Moves a version to {@code stage}; with {@code archiveExisting}, the others in that stage become Archived. */
    ModelVersion transitionModelVersionStage(String name, String version, Stage stage, boolean archiveExisting);

    void setModelVersionTag(String name, String version, Tag tag);

    void deleteModelVersionTag(String name, String version, String key);

    /** Points {@code alias} at {@code version}, moving it from any version it pointed to before. */
    void setRegisteredModelAlias(String name, String alias, String version);

    void deleteRegisteredModelAlias(String name, String alias);

    ModelVersion getModelVersionByAlias(String name, String alias);

    /** Where the version's artifacts are, as a {@code mlflow-artifacts:/} URI of the server's own store. */
    String getModelVersionDownloadUri(String name, String version);
}
