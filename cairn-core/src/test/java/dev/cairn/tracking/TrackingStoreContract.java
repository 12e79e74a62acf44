package dev.cairn.tracking;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.core.CairnException;
import dev.cairn.core.ErrorCode;
import dev.cairn.core.Page;
import dev.cairn.store.Database;
import dev.cairn.store.TestDatabases;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Every {@link TrackingStore} method, its limits and error codes; runs on SQLite and PostgreSQL. */
abstract class TrackingStoreContract {
    Database db;
    TrackingStore store;

    abstract TestDatabases.Kind kind();

    @BeforeEach
    void open() {
        db = kind().open();
        store = TrackingStore.on(db);
    }

    @AfterEach
    void close() {
        db.close();
    }

    static void assertError(ErrorCode code, ThrowingCallable call, String messagePart) {
        assertThatThrownBy(call)
                .isInstanceOf(CairnException.class)
                .satisfies(e -> assertThat(((CairnException) e).code()).isEqualTo(code))
                .hasMessageContaining(messagePart);
    }

    String newExperiment(String name) {
        return store.createExperiment(name, Optional.empty(), List.of());
    }

    Run newRun(String experimentId) {
        return store.createRun(new NewRun(experimentId, "alice", 1000, Optional.empty(), List.of()));
    }

    Run newRun(String experimentId, String name, long startTime) {
        return store.createRun(new NewRun(experimentId, "alice", startTime, Optional.of(name), List.of()));
    }

    // ---- experiments

    @Test
    void theDefaultExperimentExists() {
        Experiment e = store.getExperiment("0");
        assertThat(e.name()).isEqualTo("Default");
        assertThat(e.artifactLocation()).isEqualTo("mlflow-artifacts:/0");
        assertThat(e.lifecycleStage()).isEqualTo(LifecycleStage.ACTIVE);
        assertThat(store.findExperimentByName("Default"))
                .map(Experiment::experimentId)
                .contains("0");
    }

    @Test
    void createdExperimentsGetIdsArtifactLocationsAndTags() {
        long before = System.currentTimeMillis();
        String id = store.createExperiment("flights", Optional.empty(), List.of(new Tag("team", "ops")));
        Experiment e = store.getExperiment(id);
        assertThat(id).matches("[1-9][0-9]*");
        assertThat(e.name()).isEqualTo("flights");
        assertThat(e.artifactLocation()).isEqualTo("mlflow-artifacts:/" + id);
        assertThat(e.tags()).containsExactly(new Tag("team", "ops"));
        assertThat(e.creationTime()).isBetween(before, System.currentTimeMillis());
        assertThat(store.findExperimentByName("flights")).contains(e);
        assertThat(store.findExperimentByName("nope")).isEmpty();
        assertThat(newExperiment("second")).isNotEqualTo(id);
    }

    @Test
    void artifactLocationsAreAssignedByTheServerOnly() {
        for (String location :
                List.of("s3://bucket/exp", "file:///etc", "/tmp/x", "runs:/abc", "mlflow-artifacts:/9")) {
            assertError(
                    ErrorCode.INVALID_PARAMETER_VALUE,
                    () -> store.createExperiment("located", Optional.of(location), List.of()),
                    "artifact_location is assigned by the server");
        }
        assertThat(store.findExperimentByName("located")).isEmpty();
        String id = store.createExperiment("located", Optional.of(""), List.of());
        assertThat(store.getExperiment(id).artifactLocation()).isEqualTo("mlflow-artifacts:/" + id);
        Run run = newRun(id);
        assertThat(run.info().artifactUri())
                .isEqualTo("mlflow-artifacts:/" + id + "/" + run.info().runId() + "/artifacts");
    }

    @Test
    void experimentNamesAreUniqueAndValidated() {
        newExperiment("dup");
        assertError(ErrorCode.RESOURCE_ALREADY_EXISTS, () -> newExperiment("dup"), "dup");
        assertError(ErrorCode.INVALID_PARAMETER_VALUE, () -> newExperiment(""), "Invalid experiment name");
        assertError(ErrorCode.INVALID_PARAMETER_VALUE, () -> newExperiment("x".repeat(501)), "500");
    }

    @Test
    void unknownAndMalformedExperimentIds() {
        assertError(ErrorCode.RESOURCE_DOES_NOT_EXIST, () -> store.getExperiment("999"), "999");
        assertError(ErrorCode.INVALID_PARAMETER_VALUE, () -> store.getExperiment("abc"), "abc");
        assertError(ErrorCode.RESOURCE_DOES_NOT_EXIST, () -> store.deleteExperiment("999"), "999");
        assertError(ErrorCode.RESOURCE_DOES_NOT_EXIST, () -> store.setExperimentTag("999", new Tag("a", "b")), "999");
    }

    @Test
    void renameChecksUniquenessAndState() {
        String a = newExperiment("a");
        newExperiment("b");
        store.renameExperiment(a, "a2");
        assertThat(store.getExperiment(a).name()).isEqualTo("a2");
        assertError(ErrorCode.RESOURCE_ALREADY_EXISTS, () -> store.renameExperiment(a, "b"), "b");
        store.deleteExperiment(a);
        assertError(ErrorCode.INVALID_PARAMETER_VALUE, () -> store.renameExperiment(a, "c"), "non-active");
    }

    @Test
    void deletingAnExperimentSoftDeletesItsRunsAndRestoreBringsThemBack() {
        String id = newExperiment("del");
        Run run = newRun(id);
        store.deleteExperiment(id);
        assertThat(store.getExperiment(id).lifecycleStage()).isEqualTo(LifecycleStage.DELETED);
        assertThat(store.getRun(run.info().runId()).info().lifecycleStage()).isEqualTo(LifecycleStage.DELETED);
        assertError(ErrorCode.INVALID_PARAMETER_VALUE, () -> newRun(id), "must be in the 'active' state");
        assertError(ErrorCode.RESOURCE_DOES_NOT_EXIST, () -> store.deleteExperiment(id), id);
        store.restoreExperiment(id);
        assertThat(store.getExperiment(id).lifecycleStage()).isEqualTo(LifecycleStage.ACTIVE);
        assertThat(store.getRun(run.info().runId()).info().lifecycleStage()).isEqualTo(LifecycleStage.ACTIVE);
        assertError(ErrorCode.RESOURCE_DOES_NOT_EXIST, () -> store.restoreExperiment(id), id);
    }

    @Test
    void experimentTagsAreOverwrittenAndLimited() {
        String id = newExperiment("tags");
        store.setExperimentTag(id, new Tag("k", "v1"));
        store.setExperimentTag(id, new Tag("k", "v2"));
        assertThat(store.getExperiment(id).tags()).containsExactly(new Tag("k", "v2"));
        store.setExperimentTag(id, new Tag("long", "x".repeat(5000)));
        assertError(
                ErrorCode.INVALID_PARAMETER_VALUE,
                () -> store.setExperimentTag(id, new Tag("long", "x".repeat(5001))),
                "5000");
        assertError(ErrorCode.INVALID_PARAMETER_VALUE, () -> store.setExperimentTag(id, new Tag("../x", "v")), "../x");
    }

    @Test
    void experimentSearchFiltersOrdersAndPages() {
        String a = store.createExperiment("alpha", Optional.empty(), List.of(new Tag("team", "ml")));
        String b = store.createExperiment("Beta", Optional.empty(), List.of(new Tag("team", "ops")));
        String c = store.createExperiment("gamma", Optional.empty(), List.of(new Tag("team", "ml")));
        store.deleteExperiment(c);
        assertThat(names(experiments("name LIKE 'a%'", ViewType.ACTIVE_ONLY, List.of())))
                .containsExactly("alpha");
        assertThat(names(experiments("name ILIKE 'b%'", ViewType.ACTIVE_ONLY, List.of())))
                .containsExactly("Beta");
        assertThat(names(experiments("tags.team = 'ml'", ViewType.ALL, List.of("name"))))
                .containsExactly("alpha", "gamma");
        assertThat(names(experiments("tags.team = 'ml'", ViewType.DELETED_ONLY, List.of())))
                .containsExactly("gamma");
        assertThat(names(experiments("name != 'Default'", ViewType.ACTIVE_ONLY, List.of("name DESC"))))
                .containsExactly("alpha", "Beta");
        assertThat(names(experiments("creation_time >= 0", ViewType.ACTIVE_ONLY, List.of("experiment_id"))))
                .containsExactly("Default", "alpha", "Beta");
        assertThat(names(experiments("name IN ('alpha', 'gamma')", ViewType.ALL, List.of("name"))))
                .containsExactly("alpha", "gamma");
        List<String> seen = new ArrayList<>();
        Optional<String> token = Optional.empty();
        do {
            Page<Experiment> page = store.searchExperiments(
                    new ExperimentSearch("", ViewType.ALL, 1, List.of("last_update_time ASC"), token));
            page.items().forEach(e -> seen.add(e.experimentId()));
            token = page.nextPageToken();
        } while (token.isPresent());
        assertThat(seen).containsExactlyInAnyOrder("0", a, b, c);
        assertError(
                ErrorCode.INVALID_PARAMETER_VALUE,
                () -> experiments("metrics.x > 1", ViewType.ALL, List.of()),
                "metrics.x");
        assertError(
                ErrorCode.INVALID_PARAMETER_VALUE, () -> experiments("", ViewType.ALL, List.of("tags.x")), "tags.x");
    }

    private List<Experiment> experiments(String filter, ViewType viewType, List<String> orderBy) {
        return store.searchExperiments(new ExperimentSearch(filter, viewType, 1000, orderBy, Optional.empty()))
                .items();
    }

    private static List<String> names(List<Experiment> experiments) {
        return experiments.stream().map(Experiment::name).toList();
    }

    // ---- runs

    @Test
    void createdRunsHaveMlflowShapedIdsNamesAndArtifactUris() {
        Run run = newRun("0");
        RunInfo info = run.info();
        assertThat(info.runId()).matches("[0-9a-f]{32}");
        assertThat(info.artifactUri()).isEqualTo("mlflow-artifacts:/0/" + info.runId() + "/artifacts");
        assertThat(info.runName()).matches("[a-z]+-[a-z]+-[0-9]+");
        assertThat(info.status()).isEqualTo(RunStatus.RUNNING);
        assertThat(info.startTime()).isEqualTo(1000);
        assertThat(info.endTime()).isEmpty();
        assertThat(info.userId()).isEqualTo("alice");
        assertThat(run.tags()).contains(new Tag("mlflow.runName", info.runName()));
        assertThat(store.getRun(info.runId())).isEqualTo(run);
    }

    @Test
    void runNamesComeFromTheArgumentOrTheTagAndMustAgree() {
        assertThat(newRun("0", "named", 1).info().runName()).isEqualTo("named");
        Run fromTag = store.createRun(
                new NewRun("0", "u", 1, Optional.empty(), List.of(new Tag("mlflow.runName", "tagged"))));
        assertThat(fromTag.info().runName()).isEqualTo("tagged");
        assertError(
                ErrorCode.INVALID_PARAMETER_VALUE,
                () -> store.createRun(
                        new NewRun("0", "u", 1, Optional.of("a"), List.of(new Tag("mlflow.runName", "b")))),
                "mlflow.runName='b'");
        assertError(
                ErrorCode.RESOURCE_DOES_NOT_EXIST,
                () -> store.createRun(new NewRun("42", "u", 1, Optional.empty(), List.of())),
                "42");
    }

    @Test
    void unknownAndMalformedRunIds() {
        String unknown = "0123456789abcdef0123456789abcdef";
        assertError(ErrorCode.RESOURCE_DOES_NOT_EXIST, () -> store.getRun(unknown), unknown);
        assertError(ErrorCode.INVALID_PARAMETER_VALUE, () -> store.getRun("../etc"), "../etc");
        assertError(
                ErrorCode.RESOURCE_DOES_NOT_EXIST,
                () -> store.logBatch(unknown, List.of(), List.of(), List.of()),
                unknown);
        assertError(ErrorCode.RESOURCE_DOES_NOT_EXIST, () -> store.deleteRun(unknown), unknown);
        assertError(
                ErrorCode.RESOURCE_DOES_NOT_EXIST,
                () -> store.metricHistory(unknown, "m", 10, Optional.empty()),
                unknown);
    }

    @Test
    void updateRunChangesStatusEndTimeAndName() {
        Run run = newRun("0");
        String id = run.info().runId();
        RunInfo updated = store.updateRun(
                id, new RunUpdate(Optional.of(RunStatus.FINISHED), OptionalLong.of(5000), Optional.of("renamed")));
        assertThat(updated.status()).isEqualTo(RunStatus.FINISHED);
        assertThat(updated.endTime()).hasValue(5000);
        assertThat(updated.runName()).isEqualTo("renamed");
        assertThat(store.getRun(id).tags()).contains(new Tag("mlflow.runName", "renamed"));
        RunInfo unchanged =
                store.updateRun(id, new RunUpdate(Optional.empty(), OptionalLong.empty(), Optional.empty()));
        assertThat(unchanged).isEqualTo(updated);
    }

    @Test
    void settingTheRunNameTagRenamesTheRun() {
        String id = newRun("0").info().runId();
        store.logBatch(id, List.of(), List.of(), List.of(new Tag("mlflow.runName", "via-tag")));
        assertThat(store.getRun(id).info().runName()).isEqualTo("via-tag");
    }

    @Test
    void deletedRunsRefuseWritesUntilRestored() {
        String id = newRun("0").info().runId();
        store.deleteRun(id);
        assertThat(store.getRun(id).info().lifecycleStage()).isEqualTo(LifecycleStage.DELETED);
        assertError(
                ErrorCode.INVALID_PARAMETER_VALUE,
                () -> store.logBatch(id, List.of(new Metric("m", 1, 1, 0)), List.of(), List.of()),
                "must be in the 'active' state");
        assertError(
                ErrorCode.INVALID_PARAMETER_VALUE,
                () -> store.updateRun(
                        id, new RunUpdate(Optional.of(RunStatus.FAILED), OptionalLong.empty(), Optional.empty())),
                "active");
        store.restoreRun(id);
        store.logBatch(id, List.of(new Metric("m", 1, 1, 0)), List.of(), List.of());
        assertThat(store.getRun(id).latestMetrics()).hasSize(1);
    }

    @Test
    void logBatchStoresParamsTagsAndTheLatestMetrics() {
        String id = newRun("0").info().runId();
        store.logBatch(
                id,
                List.of(
                        new Metric("loss", 0.9, 100, 0),
                        new Metric("loss", 0.5, 200, 1),
                        new Metric("loss", 0.7, 150, 1),
                        new Metric("acc", 0.1, 100, 0)),
                List.of(new Param("lr", "0.1"), new Param("depth", "3")),
                List.of(new Tag("team", "ml")));
        // Same step, later timestamp wins; then a higher step wins even when older.
        store.logBatch(
                id, List.of(new Metric("acc", 0.3, 50, 2), new Metric("loss", 0.4, 250, 1)), List.of(), List.of());
        Run run = store.getRun(id);
        assertThat(run.params()).containsExactlyInAnyOrder(new Param("lr", "0.1"), new Param("depth", "3"));
        assertThat(run.tags()).contains(new Tag("team", "ml"));
        assertThat(run.latestMetrics())
                .containsExactlyInAnyOrder(new Metric("acc", 0.3, 50, 2), new Metric("loss", 0.4, 250, 1));
    }

    @Test
    void equalStepAndTimestampKeepsTheGreaterValueAsLatest() {
        String id = newRun("0").info().runId();
        store.logBatch(id, List.of(new Metric("m", 2, 10, 1)), List.of(), List.of());
        store.logBatch(id, List.of(new Metric("m", 1, 10, 1)), List.of(), List.of());
        assertThat(store.getRun(id).latestMetrics()).containsExactly(new Metric("m", 2, 10, 1));
    }

    @Test
    void reloggingAParamWithTheSameValueIsFineWithAnotherValueFailsAndTheBatchIsAtomic() {
        String id = newRun("0").info().runId();
        store.logBatch(id, List.of(), List.of(new Param("p", "1")), List.of());
        store.logBatch(id, List.of(), List.of(new Param("p", "1")), List.of());
        assertError(
                ErrorCode.INVALID_PARAMETER_VALUE,
                () -> store.logBatch(
                        id,
                        List.of(new Metric("m", 1, 1, 0)),
                        List.of(new Param("p", "2")),
                        List.of(new Tag("t", "v"))),
                "Changing param values is not allowed");
        Run run = store.getRun(id);
        assertThat(run.params()).containsExactly(new Param("p", "1"));
        assertThat(run.latestMetrics()).isEmpty();
        assertThat(run.tags()).doesNotContain(new Tag("t", "v"));
        assertThat(store.metricHistory(id, "m", 10, Optional.empty()).items()).isEmpty();
        assertError(
                ErrorCode.INVALID_PARAMETER_VALUE,
                () -> store.logBatch(id, List.of(), List.of(new Param("q", "1"), new Param("q", "1")), List.of()),
                "Duplicate parameter keys");
    }

    @Test
    void valueAndKeyLengthLimits() {
        String id = newRun("0").info().runId();
        store.logBatch(
                id, List.of(), List.of(new Param("p", "x".repeat(6000))), List.of(new Tag("t", "x".repeat(8000))));
        assertError(
                ErrorCode.INVALID_PARAMETER_VALUE,
                () -> store.logBatch(id, List.of(), List.of(new Param("p2", "x".repeat(6001))), List.of()),
                "6000");
        assertError(
                ErrorCode.INVALID_PARAMETER_VALUE,
                () -> store.logBatch(id, List.of(), List.of(), List.of(new Tag("t2", "x".repeat(8001)))),
                "8000");
        store.logBatch(id, List.of(new Metric("k".repeat(250), 1, 1, 1)), List.of(), List.of());
        assertError(
                ErrorCode.INVALID_PARAMETER_VALUE,
                () -> store.logBatch(id, List.of(new Metric("k".repeat(251), 1, 1, 1)), List.of(), List.of()),
                "250");
    }

    @Test
    void keysFollowMlflowNamingRules() {
        String id = newRun("0").info().runId();
        store.logBatch(id, List.of(new Metric("a/b c-d.e_f", 1, 1, 1)), List.of(), List.of());
        for (String bad : List.of("a!b", "../up", "/abs", "a//b", "a/./b", ".", "", "x/..", "semi;colon")) {
            assertError(
                    ErrorCode.INVALID_PARAMETER_VALUE,
                    () -> store.logBatch(id, List.of(), List.of(new Param(bad, "v")), List.of()),
                    "Invalid parameter name: '" + bad + "'");
        }
        assertError(
                ErrorCode.INVALID_PARAMETER_VALUE,
                () -> store.logBatch(id, List.of(new Metric("m", 1, -1, 0)), List.of(), List.of()),
                "timestamp");
    }

    @Test
    void batchLimits() {
        String id = newRun("0").info().runId();
        List<Metric> thousand =
                IntStream.range(0, 1000).mapToObj(i -> new Metric("m", i, i, i)).toList();
        store.logBatch(id, thousand, List.of(), List.of());
        List<Metric> tooMany =
                IntStream.range(0, 1001).mapToObj(i -> new Metric("m", i, i, i)).toList();
        assertError(
                ErrorCode.INVALID_PARAMETER_VALUE,
                () -> store.logBatch(id, tooMany, List.of(), List.of()),
                "1000 metrics");
        List<Param> params =
                IntStream.range(0, 101).mapToObj(i -> new Param("p" + i, "v")).toList();
        assertError(
                ErrorCode.INVALID_PARAMETER_VALUE,
                () -> store.logBatch(id, List.of(), params, List.of()),
                "100 params");
        List<Tag> tags =
                IntStream.range(0, 101).mapToObj(i -> new Tag("t" + i, "v")).toList();
        assertError(
                ErrorCode.INVALID_PARAMETER_VALUE, () -> store.logBatch(id, List.of(), List.of(), tags), "100 tags");
        List<Metric> nineHundredNinetyNine = thousand.subList(0, 999);
        assertError(
                ErrorCode.INVALID_PARAMETER_VALUE,
                () -> store.logBatch(id, nineHundredNinetyNine, params.subList(0, 1), tags.subList(0, 1)),
                "1000 metrics, params, and tags");
    }

    @Test
    void resendingTheSameMetricPointsIsIdempotent() {
        String id = newRun("0").info().runId();
        List<Metric> batch = IntStream.range(0, 100)
                .mapToObj(i -> new Metric("m", i * 0.5, 1000 + i, i))
                .toList();
        store.logBatch(id, batch, List.of(), List.of());
        store.logBatch(id, batch, List.of(), List.of());
        store.logBatch(id, batch.subList(10, 20), List.of(), List.of());
        assertThat(store.metricHistory(id, "m", 1000, Optional.empty()).items()).containsExactlyElementsOf(batch);
        // A different value at the same step and timestamp is a different point.
        store.logBatch(id, List.of(new Metric("m", 7, 1000, 0)), List.of(), List.of());
        assertThat(store.metricHistory(id, "m", 1000, Optional.empty()).items()).hasSize(101);
    }

    @Test
    void nanAndInfinitiesAreStoredFaithfully() {
        String id = newRun("0").info().runId();
        List<Metric> points = List.of(
                new Metric("m", Double.NaN, 1, 0),
                new Metric("m", Double.POSITIVE_INFINITY, 2, 1),
                new Metric("m", Double.NEGATIVE_INFINITY, 3, 2),
                new Metric("m", 0.0, 1, 0),
                new Metric("n", Double.NaN, 1, 5));
        store.logBatch(id, points, List.of(), List.of());
        store.logBatch(id, points, List.of(), List.of());
        List<Metric> history =
                store.metricHistory(id, "m", 100, Optional.empty()).items();
        assertThat(history).hasSize(4);
        assertThat(history.stream().filter(m -> Double.isNaN(m.value())).count())
                .isEqualTo(1);
        assertThat(history).contains(new Metric("m", Double.POSITIVE_INFINITY, 2, 1));
        assertThat(history).contains(new Metric("m", Double.NEGATIVE_INFINITY, 3, 2));
        assertThat(store.getRun(id).latestMetrics())
                .containsExactlyInAnyOrder(
                        new Metric("m", Double.NEGATIVE_INFINITY, 3, 2), new Metric("n", Double.NaN, 1, 5));
    }

    @Test
    void metricHistoryPagesInStepOrderAndStreams() {
        String id = newRun("0").info().runId();
        List<Metric> points = IntStream.range(0, 250)
                .mapToObj(i -> new Metric("m", i, 10_000 - i, i))
                .toList();
        List<Metric> reversed = new ArrayList<>(points);
        java.util.Collections.reverse(reversed);
        store.logBatch(id, reversed, List.of(), List.of());
        List<Metric> paged = new ArrayList<>();
        Optional<String> token = Optional.empty();
        int pages = 0;
        do {
            Page<Metric> page = store.metricHistory(id, "m", 100, token);
            paged.addAll(page.items());
            token = page.nextPageToken();
            pages++;
        } while (token.isPresent());
        assertThat(pages).isEqualTo(3);
        assertThat(paged).containsExactlyElementsOf(points);
        List<Metric> streamed = new ArrayList<>();
        store.streamMetricHistory(id, "m", streamed::add);
        assertThat(streamed).containsExactlyElementsOf(points);
        assertThat(store.metricHistory(id, "other", 10, Optional.empty()).items())
                .isEmpty();
    }

    @Test
    void deleteTagRemovesItAndUnknownTagsAreNotFound() {
        String id = newRun("0").info().runId();
        store.logBatch(id, List.of(), List.of(), List.of(new Tag("t", "v")));
        store.deleteTag(id, "t");
        assertThat(store.getRun(id).tags()).doesNotContain(new Tag("t", "v"));
        assertError(ErrorCode.RESOURCE_DOES_NOT_EXIST, () -> store.deleteTag(id, "t"), "No tag with name: t");
    }

    @Test
    void inputsAreDeduplicatedPerExperimentAndCarryTags() {
        String id = newRun("0").info().runId();
        DatasetInput.Dataset flights =
                new DatasetInput.Dataset("flights", "abc123", "local", "{\"uri\":\"x\"}", "{}", "");
        DatasetInput input = new DatasetInput(flights, List.of(new Tag("mlflow.data.context", "training")));
        store.logInputs(id, List.of(input));
        store.logInputs(id, List.of(input));
        Run run = store.getRun(id);
        assertThat(run.inputs()).containsExactly(input);
        String other = newRun("0").info().runId();
        store.logInputs(other, List.of(new DatasetInput(flights, List.of())));
        assertThat(store.getRun(other).inputs()).containsExactly(new DatasetInput(flights, List.of()));
        assertError(
                ErrorCode.INVALID_PARAMETER_VALUE,
                () -> store.logInputs(
                        id,
                        List.of(new DatasetInput(
                                new DatasetInput.Dataset("d", "x".repeat(37), "local", "s", "", ""), List.of()))),
                "digest");
    }

    @Test
    void sixtyFourConcurrentWritersLogWithoutAnyError() throws Exception {
        List<String> runs =
                IntStream.range(0, 8).mapToObj(i -> newRun("0").info().runId()).toList();
        ExecutorService pool = Executors.newFixedThreadPool(64);
        List<Future<?>> futures = new ArrayList<>();
        for (int t = 0; t < 64; t++) {
            int thread = t;
            futures.add(pool.submit(() -> {
                String runId = runs.get(thread % runs.size());
                for (int i = 0; i < 20; i++) {
                    List<Metric> metrics = IntStream.range(0, 10)
                            .mapToObj(k -> new Metric("m" + thread, k, thread, k + 10L * thread))
                            .toList();
                    store.logBatch(
                            runId, metrics, List.of(new Param("p" + thread, "v")), List.of(new Tag("t", "x" + i)));
                }
            }));
        }
        for (Future<?> future : futures) {
            future.get();
        }
        pool.shutdown();
        for (int t = 0; t < 64; t++) {
            assertThat(store.metricHistory(runs.get(t % runs.size()), "m" + t, 1000, Optional.empty())
                            .items())
                    .hasSize(10);
        }
        assertThat(store.getRun(runs.get(0)).params()).hasSize(8);
    }

    // ---- search

    /** Five runs with data on every entity, for the search tests. */
    List<String> searchFixture() {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            Run run = newRun("0", "run-" + i, 1000 + i);
            String id = run.info().runId();
            ids.add(id);
            List<Metric> metrics = new ArrayList<>(List.of(new Metric("acc", i / 10.0, 1, 0)));
            if (i == 4) {
                metrics = List.of(new Metric("acc", Double.NaN, 1, 0));
            }
            store.logBatch(
                    id,
                    metrics,
                    List.of(new Param("lr", i % 2 == 0 ? "small" : "Large"), new Param("my key", "k" + i)),
                    List.of(new Tag("team", i < 2 ? "ml" : "ops"), new Tag("a b", "t" + i)));
        }
        return ids;
    }

    List<String> search(String filter, String... orderBy) {
        return store
                .searchRuns(new RunSearch(
                        List.of("0"), filter, ViewType.ACTIVE_ONLY, 1000, List.of(orderBy), Optional.empty()))
                .items()
                .stream()
                .map(r -> r.info().runName())
                .toList();
    }

    @Test
    void searchWithMetricComparisons() {
        searchFixture();
        assertThat(search("metrics.acc > 0.15")).containsExactly("run-3", "run-2");
        assertThat(search("metrics.acc >= 0.2")).containsExactly("run-3", "run-2");
        assertThat(search("metrics.acc < 0.1")).containsExactly("run-0");
        assertThat(search("metrics.acc <= 0.1")).containsExactly("run-1", "run-0");
        assertThat(search("metrics.acc = 0.3")).containsExactly("run-3");
        assertThat(search("metrics.acc != 0.3")).containsExactly("run-4", "run-2", "run-1", "run-0");
        assertThat(search("metric.acc > -1 and metrics.acc < 1e3")).containsExactly("run-3", "run-2", "run-1", "run-0");
        assertThat(search("metrics.missing > 0")).isEmpty();
    }

    @Test
    void searchWithParamAndTagComparisons() {
        searchFixture();
        assertThat(search("params.lr = 'small'")).containsExactly("run-4", "run-2", "run-0");
        assertThat(search("params.lr != 'small'")).containsExactly("run-3", "run-1");
        assertThat(search("params.lr LIKE 'L%'")).containsExactly("run-3", "run-1");
        assertThat(search("params.lr LIKE 'l%'")).isEmpty();
        assertThat(search("params.lr ILIKE 'l%'")).containsExactly("run-3", "run-1");
        assertThat(search("params.lr IN ('Large')")).containsExactly("run-3", "run-1");
        assertThat(search("params.lr NOT IN ('Large', 'x')")).containsExactly("run-4", "run-2", "run-0");
        assertThat(search("params.`my key` = 'k2'")).containsExactly("run-2");
        assertThat(search("param.\"my key\" = \"k3\"")).containsExactly("run-3");
        assertThat(search("tags.team = 'ml'")).containsExactly("run-1", "run-0");
        assertThat(search("tags.team != 'ml' AND tags.`a b` LIKE 't%'")).containsExactly("run-4", "run-3", "run-2");
        assertThat(search("tags.team ILIKE 'OPS'")).containsExactly("run-4", "run-3", "run-2");
        assertThat(search("tags.\"a b\" IN ('t0', 't4')")).containsExactly("run-4", "run-0");
        assertThat(search("tags.team NOT IN ('ops')")).containsExactly("run-1", "run-0");
        assertThat(search("params.lr = 'small' and tags.team = 'ops' and metrics.acc >= 0.2"))
                .containsExactly("run-2");
    }

    @Test
    void searchWithAttributes() {
        List<String> ids = searchFixture();
        store.updateRun(
                ids.get(1), new RunUpdate(Optional.of(RunStatus.FINISHED), OptionalLong.of(9000), Optional.empty()));
        assertThat(search("attributes.status = 'FINISHED'")).containsExactly("run-1");
        assertThat(search("status != 'FINISHED'")).containsExactly("run-4", "run-3", "run-2", "run-0");
        assertThat(search("attributes.run_name = 'run-2'")).containsExactly("run-2");
        assertThat(search("attributes.`Run name` LIKE 'run-%' and run_name ILIKE 'RUN-1'"))
                .containsExactly("run-1");
        assertThat(search("attributes.run_id = '" + ids.get(3) + "'")).containsExactly("run-3");
        assertThat(search("attributes.run_id IN ('" + ids.get(0) + "', '" + ids.get(4) + "')"))
                .containsExactly("run-4", "run-0");
        assertThat(search("attributes.run_id NOT IN ('" + ids.get(0) + "')")).hasSize(4);
        assertThat(search("attributes.start_time > 1002")).containsExactly("run-4", "run-3");
        assertThat(search("attributes.created <= 1000")).containsExactly("run-0");
        assertThat(search("attributes.end_time = 9000")).containsExactly("run-1");
        assertThat(search("attributes.user_id = 'alice'")).hasSize(5);
        assertThat(search("attributes.artifact_uri LIKE '%" + ids.get(2) + "%'"))
                .containsExactly("run-2");
        assertThat(search("attributes.experiment_id = '0' and lifecycle_stage = 'active'"))
                .hasSize(5);
    }

    @Test
    void searchWithDatasets() {
        List<String> ids = searchFixture();
        DatasetInput.Dataset d = new DatasetInput.Dataset("flights", "d1", "local", "src", "", "");
        store.logInputs(ids.get(1), List.of(new DatasetInput(d, List.of(new Tag("mlflow.data.context", "train")))));
        assertThat(search("datasets.name = 'flights'")).containsExactly("run-1");
        assertThat(search("dataset.digest IN ('d1', 'd2')")).containsExactly("run-1");
        assertThat(search("datasets.context = 'train'")).containsExactly("run-1");
        assertThat(search("datasets.name LIKE 'x%'")).isEmpty();
    }

    @Test
    void searchOrdering() {
        searchFixture();
        assertThat(search("")).containsExactly("run-4", "run-3", "run-2", "run-1", "run-0");
        assertThat(search("", "attributes.start_time ASC"))
                .containsExactly("run-0", "run-1", "run-2", "run-3", "run-4");
        // Numbers first, then NaN, then runs without the metric, in both directions.
        String extra = newRun("0", "run-5", 999).info().runId();
        assertThat(extra).isNotEmpty();
        assertThat(search("", "metrics.acc DESC"))
                .containsExactly("run-3", "run-2", "run-1", "run-0", "run-4", "run-5");
        assertThat(search("", "metrics.acc")).containsExactly("run-0", "run-1", "run-2", "run-3", "run-4", "run-5");
        assertThat(search("", "params.lr ASC", "attributes.run_name DESC"))
                .containsExactly("run-3", "run-1", "run-4", "run-2", "run-0", "run-5");
        assertThat(search("", "tags.`a b` DESC")).containsExactly("run-4", "run-3", "run-2", "run-1", "run-0", "run-5");
        assertThat(search("", "run_name")).containsExactly("run-0", "run-1", "run-2", "run-3", "run-4", "run-5");
    }

    @Test
    void searchPagesToTheEndVisitingEveryRunOnce() {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 23; i++) {
            ids.add(newRun("0", "p" + i, 5000 + i % 4).info().runId());
        }
        Set<String> seen = new HashSet<>();
        List<String> order = new ArrayList<>();
        Optional<String> token = Optional.empty();
        int pages = 0;
        do {
            Page<Run> page =
                    store.searchRuns(new RunSearch(List.of("0"), "", ViewType.ACTIVE_ONLY, 5, List.of(), token));
            page.items().forEach(r -> {
                assertThat(seen.add(r.info().runId())).isTrue();
                order.add(r.info().runId());
            });
            token = page.nextPageToken();
            pages++;
        } while (token.isPresent());
        assertThat(pages).isEqualTo(5);
        assertThat(seen).containsExactlyInAnyOrderElementsOf(ids);
        List<String> all = store
                .searchRuns(new RunSearch(List.of("0"), "", ViewType.ACTIVE_ONLY, 1000, List.of(), Optional.empty()))
                .items()
                .stream()
                .map(r -> r.info().runId())
                .toList();
        assertThat(order).isEqualTo(all);
    }

    @Test
    void searchHonoursViewTypeAndExperimentIds() {
        String exp = newExperiment("other");
        String a = newRun(exp, "a", 1).info().runId();
        newRun(exp, "b", 2);
        newRun("0", "c", 3);
        store.deleteRun(a);
        assertThat(store.searchRuns(
                                new RunSearch(List.of(exp), "", ViewType.ACTIVE_ONLY, 10, List.of(), Optional.empty()))
                        .items())
                .extracting(r -> r.info().runName())
                .containsExactly("b");
        assertThat(store.searchRuns(
                                new RunSearch(List.of(exp), "", ViewType.DELETED_ONLY, 10, List.of(), Optional.empty()))
                        .items())
                .extracting(r -> r.info().runName())
                .containsExactly("a");
        assertThat(store.searchRuns(new RunSearch(List.of(exp, "0"), "", ViewType.ALL, 10, List.of(), Optional.empty()))
                        .items())
                .extracting(r -> r.info().runName())
                .containsExactly("c", "b", "a");
    }

    @Test
    void searchRejectsBadInputNamingTheProblem() {
        assertError(ErrorCode.INVALID_PARAMETER_VALUE, () -> search("metrics.acc > 'high'"), "'high'");
        assertError(ErrorCode.INVALID_PARAMETER_VALUE, () -> search("params.lr > '1'"), ">");
        assertError(ErrorCode.INVALID_PARAMETER_VALUE, () -> search("params.lr = 1"), "1");
        assertError(ErrorCode.INVALID_PARAMETER_VALUE, () -> search("foo.bar = '1'"), "foo");
        assertError(ErrorCode.INVALID_PARAMETER_VALUE, () -> search("attributes.nope = '1'"), "nope");
        assertError(ErrorCode.INVALID_PARAMETER_VALUE, () -> search("metrics.a = 1 OR metrics.b = 2"), "OR");
        assertError(ErrorCode.INVALID_PARAMETER_VALUE, () -> search("params.lr = 'open"), "unterminated");
        assertError(ErrorCode.INVALID_PARAMETER_VALUE, () -> search("", "metrics.acc SIDEWAYS"), "SIDEWAYS");
        assertError(
                ErrorCode.INVALID_PARAMETER_VALUE,
                () -> store.searchRuns(
                        new RunSearch(List.of("0"), "", ViewType.ALL, 50_001, List.of(), Optional.empty())),
                "50001");
        assertError(
                ErrorCode.INVALID_PARAMETER_VALUE,
                () -> store.searchRuns(
                        new RunSearch(List.of("0"), "", ViewType.ALL, 10, List.of(), Optional.of("%%%"))),
                "page token");
    }
}
