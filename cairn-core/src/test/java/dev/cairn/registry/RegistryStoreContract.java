package dev.cairn.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.core.CairnException;
import dev.cairn.core.ErrorCode;
import dev.cairn.core.Page;
import dev.cairn.lineage.Direction;
import dev.cairn.lineage.LineageStore;
import dev.cairn.store.Database;
import dev.cairn.store.TestDatabases;
import dev.cairn.tracking.NewRun;
import dev.cairn.tracking.RunInfo;
import dev.cairn.tracking.Tag;
import dev.cairn.tracking.TrackingStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Every {@link RegistryStore} method, its MLflow semantics and error codes; runs on SQLite and PostgreSQL. */
abstract class RegistryStoreContract {
    Database db;
    TrackingStore tracking;
    RegistryStore store;
    RunInfo run;

    abstract TestDatabases.Kind kind();

    @BeforeEach
    void open() {
        db = kind().open();
        tracking = TrackingStore.on(db);
        store = RegistryStore.on(db, tracking);
        run = newRun();
    }

    @AfterEach
    void close() {
        db.close();
    }

    RunInfo newRun() {
        String experiment = tracking.createExperiment("exp-" + System.nanoTime(), Optional.empty(), List.of());
        return tracking.createRun(new NewRun(experiment, "alice", 1000, Optional.empty(), List.of()))
                .info();
    }

    String runSource(String path) {
        return "runs:/" + run.runId() + "/" + path;
    }

    ModelVersion register(String name) {
        return store.createModelVersion(NewModelVersion.of(name, runSource("model")));
    }

    static void assertError(ErrorCode code, ThrowingCallable call, String messagePart) {
        assertThatThrownBy(call)
                .isInstanceOf(CairnException.class)
                .satisfies(e -> assertThat(((CairnException) e).code()).isEqualTo(code))
                .hasMessageContaining(messagePart);
    }

    @Test
    void createGetUpdateRegisteredModel() {
        RegisteredModel created = store.createRegisteredModel("flights", List.of(new Tag("team", "ops")), "delays");
        assertThat(created.name()).isEqualTo("flights");
        assertThat(created.description()).isEqualTo("delays");
        assertThat(created.tags()).containsExactly(new Tag("team", "ops"));
        assertThat(created.creationTimestamp()).isPositive();

        RegisteredModel updated = store.updateRegisteredModel("flights", "late flights");
        assertThat(updated.description()).isEqualTo("late flights");
        assertThat(updated.lastUpdatedTimestamp()).isGreaterThanOrEqualTo(created.lastUpdatedTimestamp());
        assertThat(store.getRegisteredModel("flights").description()).isEqualTo("late flights");

        assertError(
                ErrorCode.RESOURCE_ALREADY_EXISTS,
                () -> store.createRegisteredModel("flights", List.of(), ""),
                "Registered Model (name=flights) already exists.");
        assertError(
                ErrorCode.RESOURCE_DOES_NOT_EXIST,
                () -> store.getRegisteredModel("nope"),
                "Registered Model with name=nope not found");
        assertError(
                ErrorCode.INVALID_PARAMETER_VALUE,
                () -> store.createRegisteredModel("", List.of(), ""),
                "Registered model name cannot be empty");
    }

    @Test
    void versionsAreNumberedPerModelAndNeverReused() {
        store.createRegisteredModel("a", List.of(), "");
        store.createRegisteredModel("b", List.of(), "");
        assertThat(register("a").version()).isEqualTo(1);
        assertThat(register("a").version()).isEqualTo(2);
        assertThat(register("b").version()).isEqualTo(1);
        store.deleteModelVersion("a", "2");
        assertThat(register("a").version()).isEqualTo(3);

        ModelVersion v = store.getModelVersion("a", "3");
        assertThat(v.currentStage()).isEqualTo(Stage.NONE);
        assertThat(v.status()).isEqualTo("READY");
        assertThat(v.runId()).isEqualTo(run.runId());
        assertThat(v.source()).isEqualTo(runSource("model"));
        assertThat(store.getModelVersionDownloadUri("a", "3"))
                .isEqualTo("mlflow-artifacts:/" + run.experimentId() + "/" + run.runId() + "/artifacts/model");
        assertError(ErrorCode.RESOURCE_DOES_NOT_EXIST, () -> store.getModelVersion("a", "2"), "version=2");
        assertError(ErrorCode.INVALID_PARAMETER_VALUE, () -> store.getModelVersion("a", "two"), "must be an integer");
        assertError(
                ErrorCode.RESOURCE_DOES_NOT_EXIST,
                () -> store.createModelVersion(NewModelVersion.of("missing", runSource("model"))),
                "Registered Model with name=missing not found");
    }

    @Test
    void versionFieldsTagsAndDescription() {
        store.createRegisteredModel("m", List.of(), "");
        ModelVersion v = store.createModelVersion(new NewModelVersion(
                "m", runSource("model"), run.runId(), "http://link", "first", List.of(new Tag("k", "v"))));
        assertThat(v.runLink()).isEqualTo("http://link");
        assertThat(v.description()).isEqualTo("first");
        assertThat(v.tags()).containsExactly(new Tag("k", "v"));

        assertThat(store.updateModelVersion("m", "1", "second").description()).isEqualTo("second");
        store.setModelVersionTag("m", "1", new Tag("k", "w"));
        store.setModelVersionTag("m", "1", new Tag("other", "x"));
        assertThat(store.getModelVersion("m", "1").tags()).containsExactly(new Tag("k", "w"), new Tag("other", "x"));
        store.deleteModelVersionTag("m", "1", "k");
        assertThat(store.getModelVersion("m", "1").tags()).containsExactly(new Tag("other", "x"));

        store.setRegisteredModelTag("m", new Tag("owner", "bob"));
        assertThat(store.getRegisteredModel("m").tags()).containsExactly(new Tag("owner", "bob"));
        store.deleteRegisteredModelTag("m", "owner");
        assertThat(store.getRegisteredModel("m").tags()).isEmpty();
        assertError(
                ErrorCode.RESOURCE_DOES_NOT_EXIST,
                () -> store.setModelVersionTag("m", "9", new Tag("a", "b")),
                "(name=m, version=9)");
        assertError(
                ErrorCode.INVALID_PARAMETER_VALUE,
                () -> store.createModelVersion(
                        new NewModelVersion("m", runSource("model"), newRun().runId(), "", "", List.of())),
                "run_id");
    }

    @Test
    void aliasesPointAtOneVersionAndFollowDeletes() {
        store.createRegisteredModel("m", List.of(), "");
        register("m");
        register("m");
        store.setRegisteredModelAlias("m", "champion", "1");
        store.setRegisteredModelAlias("m", "challenger", "2");
        assertThat(store.getModelVersionByAlias("m", "champion").version()).isEqualTo(1);
        store.setRegisteredModelAlias("m", "champion", "2");
        assertThat(store.getModelVersionByAlias("m", "champion").version()).isEqualTo(2);
        assertThat(store.getModelVersion("m", "2").aliases()).containsExactly("challenger", "champion");
        assertThat(store.getModelVersion("m", "1").aliases()).isEmpty();
        assertThat(store.getRegisteredModel("m").aliases())
                .containsExactly(new ModelAlias("challenger", 2), new ModelAlias("champion", 2));

        store.deleteRegisteredModelAlias("m", "challenger");
        assertError(
                ErrorCode.RESOURCE_DOES_NOT_EXIST,
                () -> store.getModelVersionByAlias("m", "challenger"),
                "Registered model alias challenger not found.");
        store.deleteModelVersion("m", "2");
        assertError(ErrorCode.RESOURCE_DOES_NOT_EXIST, () -> store.getModelVersionByAlias("m", "champion"), "champion");
        assertError(
                ErrorCode.RESOURCE_DOES_NOT_EXIST,
                () -> store.setRegisteredModelAlias("m", "champion", "2"),
                "version=2");
        assertError(
                ErrorCode.INVALID_PARAMETER_VALUE, () -> store.setRegisteredModelAlias("m", "latest", "1"), "reserved");
        assertError(ErrorCode.INVALID_PARAMETER_VALUE, () -> store.setRegisteredModelAlias("m", "v3", "1"), "v3");
        assertError(ErrorCode.INVALID_PARAMETER_VALUE, () -> store.setRegisteredModelAlias("m", "a b", "1"), "a b");
    }

    @Test
    void stagesAndLatestVersions() {
        store.createRegisteredModel("m", List.of(), "");
        for (int i = 0; i < 4; i++) {
            register("m");
        }
        store.transitionModelVersionStage("m", "1", Stage.PRODUCTION, false);
        store.transitionModelVersionStage("m", "2", Stage.PRODUCTION, false);
        store.transitionModelVersionStage("m", "3", Stage.STAGING, false);
        assertThat(store.getLatestVersions("m", List.of()))
                .extracting(v -> v.currentStage() + ":" + v.version())
                .containsExactly("NONE:4", "STAGING:3", "PRODUCTION:2");
        assertThat(store.getLatestVersions("m", List.of(Stage.PRODUCTION)))
                .extracting(ModelVersion::version)
                .containsExactly(2);
        assertThat(store.getRegisteredModel("m").latestVersions())
                .extracting(ModelVersion::version)
                .containsExactlyInAnyOrder(2, 3, 4);

        ModelVersion promoted = store.transitionModelVersionStage("m", "4", Stage.PRODUCTION, true);
        assertThat(promoted.currentStage()).isEqualTo(Stage.PRODUCTION);
        assertThat(store.getModelVersion("m", "1").currentStage()).isEqualTo(Stage.ARCHIVED);
        assertThat(store.getModelVersion("m", "2").currentStage()).isEqualTo(Stage.ARCHIVED);
        assertThat(store.getModelVersion("m", "3").currentStage()).isEqualTo(Stage.STAGING);
        assertThat(Stage.parse("production")).isEqualTo(Stage.PRODUCTION);
        assertError(ErrorCode.INVALID_PARAMETER_VALUE, () -> Stage.parse("Prod"), "Invalid Model Version stage");
        assertError(
                ErrorCode.INVALID_PARAMETER_VALUE,
                () -> store.transitionModelVersionStage("m", "3", Stage.ARCHIVED, true),
                "not an Active stage");
    }

    @Test
    void renameCarriesVersionsTagsAndAliases() {
        store.createRegisteredModel("old", List.of(new Tag("t", "1")), "");
        register("old");
        store.setRegisteredModelAlias("old", "champion", "1");
        store.createRegisteredModel("taken", List.of(), "");

        RegisteredModel renamed = store.renameRegisteredModel("old", "new");
        assertThat(renamed.name()).isEqualTo("new");
        assertThat(renamed.tags()).containsExactly(new Tag("t", "1"));
        assertThat(store.getModelVersionByAlias("new", "champion").name()).isEqualTo("new");
        assertThat(register("new").version()).isEqualTo(2);
        assertError(ErrorCode.RESOURCE_DOES_NOT_EXIST, () -> store.getRegisteredModel("old"), "name=old");
        assertError(ErrorCode.RESOURCE_ALREADY_EXISTS, () -> store.renameRegisteredModel("new", "taken"), "name=taken");
    }

    @Test
    void deleteCascadesAndFreesTheName() {
        store.createRegisteredModel("m", List.of(new Tag("a", "b")), "");
        register("m");
        store.setModelVersionTag("m", "1", new Tag("x", "y"));
        store.setRegisteredModelAlias("m", "champion", "1");
        store.deleteRegisteredModel("m");
        assertError(ErrorCode.RESOURCE_DOES_NOT_EXIST, () -> store.getRegisteredModel("m"), "name=m");
        assertThat(store.searchModelVersions(RegistrySearch.of("name = 'm'", 100))
                        .items())
                .isEmpty();
        store.createRegisteredModel("m", List.of(), "");
        assertThat(register("m").version()).isEqualTo(1);
        assertThat(register("m").tags()).isEmpty();
        assertError(ErrorCode.RESOURCE_DOES_NOT_EXIST, () -> store.deleteRegisteredModel("gone"), "name=gone");
    }

    @Test
    void searchRegisteredModelsWithFilterOrderAndPages() {
        for (String name : List.of("flights-a", "flights-b", "weather", "Flights-C")) {
            store.createRegisteredModel(name, List.of(new Tag("team", name.startsWith("w") ? "sky" : "air")), "");
        }
        assertThat(names(store.searchRegisteredModels(RegistrySearch.of("", 100))))
                .containsExactly("Flights-C", "flights-a", "flights-b", "weather");
        assertThat(names(store.searchRegisteredModels(RegistrySearch.of("name LIKE 'flights%'", 100))))
                .containsExactly("flights-a", "flights-b");
        assertThat(names(store.searchRegisteredModels(RegistrySearch.of("name ILIKE 'flights%'", 100))))
                .containsExactly("Flights-C", "flights-a", "flights-b");
        assertThat(names(store.searchRegisteredModels(RegistrySearch.of("name = 'weather'", 100))))
                .containsExactly("weather");
        assertThat(names(store.searchRegisteredModels(
                        RegistrySearch.of("tags.team = 'air' AND name != 'flights-a'", 100))))
                .containsExactly("Flights-C", "flights-b");
        assertThat(names(store.searchRegisteredModels(
                        new RegistrySearch("", 100, List.of("name DESC"), Optional.empty()))))
                .containsExactly("weather", "flights-b", "flights-a", "Flights-C");

        List<String> paged = new ArrayList<>();
        Optional<String> token = Optional.empty();
        do {
            Page<RegisteredModel> page = store.searchRegisteredModels(new RegistrySearch("", 3, List.of(), token));
            paged.addAll(names(page));
            token = page.nextPageToken();
        } while (token.isPresent());
        assertThat(paged).containsExactly("Flights-C", "flights-a", "flights-b", "weather");

        assertError(
                ErrorCode.INVALID_PARAMETER_VALUE,
                () -> store.searchRegisteredModels(RegistrySearch.of("run_id = 'x'", 10)),
                "run_id");
        assertError(
                ErrorCode.INVALID_PARAMETER_VALUE,
                () -> store.searchRegisteredModels(RegistrySearch.of("metrics.acc > 1", 10)),
                "metrics");
        assertError(
                ErrorCode.INVALID_PARAMETER_VALUE,
                () -> store.searchRegisteredModels(
                        new RegistrySearch("", 10, List.of("source_path"), Optional.empty())),
                "source_path");
        assertError(
                ErrorCode.INVALID_PARAMETER_VALUE,
                () -> store.searchRegisteredModels(RegistrySearch.of("", 1001)),
                "max_results");
        assertError(
                ErrorCode.INVALID_PARAMETER_VALUE,
                () -> store.searchRegisteredModels(new RegistrySearch("", 10, List.of(), Optional.of("garbage!"))),
                "page token");
    }

    @Test
    void searchModelVersionsWithFilterOrderAndPages() {
        RunInfo other = newRun();
        store.createRegisteredModel("a", List.of(), "");
        store.createRegisteredModel("b", List.of(), "");
        register("a");
        store.createModelVersion(NewModelVersion.of("a", "runs:/" + other.runId() + "/sub/model"));
        register("b");
        store.setModelVersionTag("b", "1", new Tag("flavor", "onnx"));

        assertThat(keys(store.searchModelVersions(RegistrySearch.of("", 100)))).containsExactly("a/2", "a/1", "b/1");
        assertThat(keys(store.searchModelVersions(RegistrySearch.of("run_id = '" + other.runId() + "'", 100))))
                .containsExactly("a/2");
        assertThat(keys(store.searchModelVersions(
                        RegistrySearch.of("run_id IN ('" + other.runId() + "', '" + run.runId() + "')", 100))))
                .containsExactly("a/2", "a/1", "b/1");
        assertThat(keys(store.searchModelVersions(RegistrySearch.of("source_path LIKE '%/sub/%'", 100))))
                .containsExactly("a/2");
        assertThat(keys(store.searchModelVersions(RegistrySearch.of("tags.flavor = 'onnx'", 100))))
                .containsExactly("b/1");
        assertThat(keys(store.searchModelVersions(RegistrySearch.of("name = 'a' AND version_number >= 2", 100))))
                .containsExactly("a/2");
        assertThat(keys(store.searchModelVersions(
                        new RegistrySearch("", 100, List.of("version_number ASC", "name DESC"), Optional.empty()))))
                .containsExactly("b/1", "a/1", "a/2");
        Page<ModelVersion> first = store.searchModelVersions(RegistrySearch.of("", 2));
        assertThat(keys(first)).containsExactly("a/2", "a/1");
        assertThat(keys(store.searchModelVersions(new RegistrySearch("", 2, List.of(), first.nextPageToken()))))
                .containsExactly("b/1");
        assertError(
                ErrorCode.INVALID_PARAMETER_VALUE,
                () -> store.searchModelVersions(RegistrySearch.of("version_number = 'x'", 10)),
                "numeric");
    }

    @Test
    void registrationRecordsLineage() {
        store.createRegisteredModel("m", List.of(), "");
        register("m");
        var graph = LineageStore.of(db).traverse("models:/m/1", Direction.UP, 2);
        assertThat(graph.edges())
                .anySatisfy(e -> assertThat(e.source()).isEqualTo("runs:/" + run.runId() + "/artifacts/model"));
    }

    @Test
    void modelsSourceResolvesToTheReferencedVersionsArtifacts() {
        store.createRegisteredModel("m", List.of(), "");
        register("m");
        store.setRegisteredModelAlias("m", "champion", "1");
        store.createRegisteredModel("copy", List.of(), "");
        ModelVersion byVersion = store.createModelVersion(NewModelVersion.of("copy", "models:/m/1"));
        ModelVersion byAlias = store.createModelVersion(NewModelVersion.of("copy", "models:/m@champion"));
        String expected = store.getModelVersionDownloadUri("m", "1");
        assertThat(byVersion.storageLocation()).isEqualTo(expected);
        assertThat(byAlias.storageLocation()).isEqualTo(expected);
        assertThat(byVersion.runId()).isEqualTo(run.runId());
    }

    private static List<String> names(Page<RegisteredModel> page) {
        return page.items().stream().map(RegisteredModel::name).toList();
    }

    private static List<String> keys(Page<ModelVersion> page) {
        return page.items().stream().map(v -> v.name() + "/" + v.version()).toList();
    }
}
