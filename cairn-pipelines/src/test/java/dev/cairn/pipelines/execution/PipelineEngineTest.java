package dev.cairn.pipelines.execution;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.pipelines.Pipeline;
import dev.cairn.tracking.Metric;
import dev.cairn.tracking.Run;
import dev.cairn.tracking.RunStatus;
import dev.cairn.tracking.Tag;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PipelineEngineTest {
    // Each step appends a line to runs/<step>.count, so a test can tell a real run from a cache hit,
    // and writes a random token into its output, so that a re-run would not reproduce the same bytes.
    private static final String CHAIN = """
            name: chain
            params:
              lr: 0.1
            steps:
              prepare:
                command: echo prepare >> runs/prepare.count; (cat ${inputs.raw}; od -An -N8 -tx8 /dev/urandom) > ${outputs.features}
                inputs: {raw: data/raw.csv}
                outputs: {features: out/features.csv}
              train:
                command: |
                  echo train >> runs/train.count; mkdir -p ${outputs.model}; (cat ${inputs.features}; echo lr=${params.lr}; od -An -N8 -tx8 /dev/urandom) > ${outputs.model}/weights.txt; echo '{"metric": "auc", "value": 0.81, "step": 1}'
                inputs: {features: steps.prepare.outputs.features}
                outputs: {model: out/model/}
              report:
                command: echo report >> runs/report.count; cat ${inputs.model}/weights.txt > ${outputs.report}
                inputs: {model: steps.train.outputs.model}
                outputs: {report: out/report.txt}
            """;

    @TempDir
    Path root;

    Fixture f;

    @BeforeEach
    void setUp() throws Exception {
        f = new Fixture(root);
        Files.createDirectories(f.project.resolve("runs"));
        f.write("data/raw.csv", "a,b\n1,2\n");
    }

    @AfterEach
    void tearDown() {
        f.close();
    }

    private PipelineRunRecord run(Pipeline p, RunOptions options) {
        return f.engine.run(p, options);
    }

    private static StepStatus statusOf(PipelineRunRecord r, String step) {
        return r.step(step).status();
    }

    @Test
    void runsStepsInOrderAsNestedTrackedRuns() {
        PipelineRunRecord r = run(f.pipeline(CHAIN), RunOptions.DEFAULTS);

        assertThat(r.status()).isEqualTo(PipelineStatus.SUCCEEDED);
        assertThat(r.steps()).extracting(StepRunRecord::status).containsOnly(StepStatus.SUCCEEDED);
        assertThat(r.step("prepare").endSeq().getAsLong())
                .isLessThan(r.step("train").startSeq().getAsLong());
        assertThat(r.step("train").endSeq().getAsLong())
                .isLessThan(r.step("report").startSeq().getAsLong());
        assertThat(f.read("out/report.txt")).startsWith("a,b\n1,2\n").contains("lr=0.1");

        Run pipelineRun = f.tracking.getRun(r.trackingRunId());
        assertThat(pipelineRun.info().status()).isEqualTo(RunStatus.FINISHED);
        assertThat(f.tracking.getExperiment(pipelineRun.info().experimentId()).name())
                .isEqualTo("chain");
        Run train = f.tracking.getRun(r.step("train").trackingRunId().orElseThrow());
        assertThat(train.tags()).contains(new Tag("mlflow.parentRunId", r.trackingRunId()));
        assertThat(train.params()).extracting(p -> p.key() + "=" + p.value()).containsExactly("lr=0.1");
        assertThat(train.info().status()).isEqualTo(RunStatus.FINISHED);
        var artifacts = dev.cairn.artifacts.ArtifactRepository.over(f.db, f.blobs);
        var root = dev.cairn.artifacts.ArtifactRoot.ofRun(
                train.info().experimentId(), train.info().runId());
        assertThat(artifacts.walk(root, dev.cairn.artifacts.ArtifactPath.ROOT))
                .extracting(a -> a.path().value())
                .contains("logs/stdout.log", "outputs/model/weights.txt");
    }

    @Test
    void metricsPrintedOnStdoutAreLoggedToTheStepRun() {
        PipelineRunRecord r = run(f.pipeline(CHAIN), RunOptions.DEFAULTS);

        String trainRun = r.step("train").trackingRunId().orElseThrow();
        List<Metric> auc = f.tracking
                .metricHistory(trainRun, "auc", 100, java.util.Optional.empty())
                .items();
        assertThat(auc)
                .extracting(Metric::value, Metric::step)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(0.81, 1L));
        assertThat(f.engine.log(r.id(), "train", false)).contains("{\"metric\": \"auc\"");
    }

    @Test
    void independentStepsRunInParallel() {
        // Each step waits until the other has started: run one after the other, both would time out.
        Pipeline p = f.pipeline("""
                name: parallel
                steps:
                  left:
                    command: touch left.started; i=0; while [ ! -f right.started ] && [ $i -lt 200 ]; do sleep 0.05; i=$((i+1)); done; test -f right.started
                    timeout: 30s
                  right:
                    command: touch right.started; i=0; while [ ! -f left.started ] && [ $i -lt 200 ]; do sleep 0.05; i=$((i+1)); done; test -f left.started
                    timeout: 30s
                  join:
                    command: "true"
                    after: [left, right]
                """);

        PipelineRunRecord r = run(p, RunOptions.DEFAULTS.noCache(true));

        assertThat(r.status()).isEqualTo(PipelineStatus.SUCCEEDED);
        StepRunRecord left = r.step("left");
        StepRunRecord right = r.step("right");
        StepRunRecord join = r.step("join");
        assertThat(left.startSeq().getAsLong()).isLessThan(right.endSeq().getAsLong());
        assertThat(right.startSeq().getAsLong()).isLessThan(left.endSeq().getAsLong());
        assertThat(join.startSeq().getAsLong())
                .isGreaterThan(left.endSeq().getAsLong())
                .isGreaterThan(right.endSeq().getAsLong());
    }

    @Test
    void anUnchangedRerunIsServedFromTheCacheWithByteIdenticalOutputs() throws Exception {
        run(f.pipeline(CHAIN), RunOptions.DEFAULTS);
        byte[] features = Files.readAllBytes(f.project.resolve("out/features.csv"));
        byte[] weights = Files.readAllBytes(f.project.resolve("out/model/weights.txt"));
        Files.delete(f.project.resolve("out/features.csv"));
        Files.writeString(f.project.resolve("out/model/weights.txt"), "tampered");
        Files.writeString(f.project.resolve("out/model/extra.txt"), "stray");

        PipelineRunRecord again = run(f.pipeline(CHAIN), RunOptions.DEFAULTS);

        assertThat(again.status()).isEqualTo(PipelineStatus.SUCCEEDED);
        assertThat(again.steps()).extracting(StepRunRecord::status).containsOnly(StepStatus.CACHED);
        assertThat(again.steps()).extracting(s -> s.cacheStatus().orElseThrow()).containsOnly(CacheStatus.HIT);
        Run hit = f.tracking.getRun(again.step("train").trackingRunId().orElseThrow());
        assertThat(hit.info().status()).isEqualTo(RunStatus.FINISHED);
        assertThat(hit.tags())
                .contains(new Tag("cairn.cache.status", "HIT"), new Tag("mlflow.parentRunId", again.id()));
        assertThat(f.count("runs/prepare.count") + f.count("runs/train.count") + f.count("runs/report.count"))
                .isEqualTo(3);
        assertThat(Files.readAllBytes(f.project.resolve("out/features.csv"))).isEqualTo(features);
        assertThat(Files.readAllBytes(f.project.resolve("out/model/weights.txt")))
                .isEqualTo(weights);
        assertThat(f.project.resolve("out/model/extra.txt")).doesNotExist();
    }

    @Test
    void theCacheKeysOnContentNotNamesOrTimes() throws Exception {
        run(f.pipeline(CHAIN), RunOptions.DEFAULTS);
        Files.setLastModifiedTime(f.project.resolve("data/raw.csv"), java.nio.file.attribute.FileTime.fromMillis(0));
        f.write("data/copy.csv", f.read("data/raw.csv"));

        PipelineRunRecord renamed =
                run(f.pipeline(CHAIN.replace("data/raw.csv", "data/copy.csv")), RunOptions.DEFAULTS);

        assertThat(renamed.step("prepare").status()).isEqualTo(StepStatus.CACHED);
        assertThat(f.count("runs/prepare.count")).isEqualTo(1);
    }

    @Test
    void changingAnInputsContentMissesForItAndItsDependents() {
        run(f.pipeline(CHAIN), RunOptions.DEFAULTS);
        f.write("data/raw.csv", "a,b\n1,3\n");

        PipelineRunRecord r = run(f.pipeline(CHAIN), RunOptions.DEFAULTS);

        assertThat(r.steps()).extracting(StepRunRecord::status).containsOnly(StepStatus.SUCCEEDED);
        assertThat(r.step("prepare").cacheStatus()).contains(CacheStatus.MISS);
        assertThat(f.count("runs/prepare.count")).isEqualTo(2);
        assertThat(f.read("out/report.txt")).startsWith("a,b\n1,3\n");
    }

    @Test
    void changingAParamMissesOnlyForTheStepsThatReadIt() {
        run(f.pipeline(CHAIN), RunOptions.DEFAULTS);

        PipelineRunRecord r = run(f.pipeline(CHAIN), RunOptions.withParams(Map.of("lr", "0.2")));

        assertThat(statusOf(r, "prepare")).isEqualTo(StepStatus.CACHED);
        assertThat(statusOf(r, "train")).isEqualTo(StepStatus.SUCCEEDED);
        assertThat(statusOf(r, "report")).isEqualTo(StepStatus.SUCCEEDED);
        assertThat(f.read("out/report.txt")).contains("lr=0.2");
    }

    @Test
    void changingTheCommandMisses() {
        run(f.pipeline(CHAIN), RunOptions.DEFAULTS);

        PipelineRunRecord r = run(
                f.pipeline(CHAIN.replace(
                                "cat ${inputs.model}/weights.txt >", "cat ${inputs.model}/weights.txt; echo changed) >")
                        .replace("echo report >> runs/report.count; cat", "echo report >> runs/report.count; (cat")),
                RunOptions.DEFAULTS);

        assertThat(statusOf(r, "train")).isEqualTo(StepStatus.CACHED);
        assertThat(statusOf(r, "report")).isEqualTo(StepStatus.SUCCEEDED);
        assertThat(f.read("out/report.txt")).endsWith("changed\n");
    }

    @Test
    void changingAScriptTheCommandNamesMisses() {
        f.write("step.sh", "echo v1 > \"$1\"\n");
        String spec = """
                name: script
                steps:
                  s:
                    command: [sh, step.sh, out.txt]
                    outputs: {o: out.txt}
                """;
        run(f.pipeline(spec), RunOptions.DEFAULTS);
        assertThat(statusOf(run(f.pipeline(spec), RunOptions.DEFAULTS), "s")).isEqualTo(StepStatus.CACHED);

        f.write("step.sh", "echo v2 > \"$1\"\n");
        PipelineRunRecord r = run(f.pipeline(spec), RunOptions.DEFAULTS);

        assertThat(statusOf(r, "s")).isEqualTo(StepStatus.SUCCEEDED);
        assertThat(f.read("out.txt")).isEqualTo("v2\n");
    }

    @Test
    void forceRunsEverythingAndNoCacheNeitherReadsNorWrites() {
        run(f.pipeline(CHAIN), RunOptions.DEFAULTS);

        PipelineRunRecord forced = run(f.pipeline(CHAIN), RunOptions.DEFAULTS.force(true));
        assertThat(forced.steps())
                .extracting(s -> s.cacheStatus().orElseThrow())
                .containsOnly(CacheStatus.FORCED);
        assertThat(f.count("runs/prepare.count")).isEqualTo(2);

        f.write("data/raw.csv", "new\n");
        run(f.pipeline(CHAIN), RunOptions.DEFAULTS.noCache(true));
        PipelineRunRecord after = run(f.pipeline(CHAIN), RunOptions.DEFAULTS);
        assertThat(statusOf(after, "prepare")).isEqualTo(StepStatus.SUCCEEDED);
        assertThat(f.count("runs/prepare.count")).isEqualTo(4);
    }

    @Test
    void explainSaysWhichComponentChanged() {
        run(f.pipeline(CHAIN), RunOptions.DEFAULTS);
        f.write("data/raw.csv", "changed\n");

        List<StepExplanation> explained = f.engine.explain(f.pipeline(CHAIN), Map.of("lr", "0.3"));

        assertThat(explained).extracting(StepExplanation::step).containsExactly("prepare", "train", "report");
        assertThat(explained.get(0).verdict()).isEqualTo(StepExplanation.Verdict.MISS);
        assertThat(explained.get(0).reasons()).containsExactly("input 'raw' content changed");
        assertThat(explained.get(1).verdict()).isEqualTo(StepExplanation.Verdict.MISS);
        assertThat(explained.get(1).reasons()).singleElement().asString().contains("upstream step 'prepare' will run");

        f.write("data/raw.csv", "a,b\n1,2\n");
        List<StepExplanation> paramOnly = f.engine.explain(f.pipeline(CHAIN), Map.of("lr", "0.3"));
        assertThat(paramOnly.get(0).verdict()).isEqualTo(StepExplanation.Verdict.HIT);
        assertThat(paramOnly.get(1).verdict()).isEqualTo(StepExplanation.Verdict.MISS);
        assertThat(paramOnly.get(1).reasons()).containsExactly("param 'lr' changed: 0.1 -> 0.3");
        assertThat(f.engine.explain(f.pipeline(CHAIN), Map.of()))
                .extracting(StepExplanation::verdict)
                .containsOnly(StepExplanation.Verdict.HIT);
    }

    @Test
    void aFailingStepFailsThePipelineCancelsDependentsAndCachesNothing() {
        String spec = """
                name: failing
                steps:
                  ok:
                    command: echo fine > ok.txt
                    outputs: {o: ok.txt}
                  broken:
                    command: echo partial > half.txt; echo 'disk on fire' >&2; exit 3
                    inputs: {i: steps.ok.outputs.o}
                    outputs: {o: half.txt}
                  after:
                    command: cat ${inputs.i}
                    inputs: {i: steps.broken.outputs.o}
                """;

        PipelineRunRecord r = run(f.pipeline(spec), RunOptions.DEFAULTS);

        assertThat(r.status()).isEqualTo(PipelineStatus.FAILED);
        assertThat(r.failedStep()).contains("broken");
        assertThat(r.message().orElseThrow()).contains("step 'broken' failed: exit code 3: disk on fire");
        assertThat(statusOf(r, "ok")).isEqualTo(StepStatus.SUCCEEDED);
        assertThat(statusOf(r, "broken")).isEqualTo(StepStatus.FAILED);
        assertThat(r.step("broken").exitCode()).contains(3);
        assertThat(statusOf(r, "after")).isEqualTo(StepStatus.CANCELLED);
        assertThat(r.step("after").message()).contains("upstream step 'broken' failed");
        assertThat(f.tracking.getRun(r.trackingRunId()).info().status()).isEqualTo(RunStatus.FAILED);
        assertThat(f.tracking
                        .getRun(r.step("broken").trackingRunId().orElseThrow())
                        .info()
                        .status())
                .isEqualTo(RunStatus.FAILED);
        assertThat(f.engine.log(r.id(), "broken", true)).isEqualTo("disk on fire\n");

        PipelineRunRecord again = run(f.pipeline(spec), RunOptions.DEFAULTS);
        assertThat(statusOf(again, "ok")).isEqualTo(StepStatus.CACHED);
        assertThat(statusOf(again, "broken")).isEqualTo(StepStatus.FAILED);
        assertThat(again.step("broken").cacheStatus()).contains(CacheStatus.MISS);
    }

    @Test
    void aStepThatDoesNotWriteADeclaredOutputFails() {
        PipelineRunRecord r = run(f.pipeline("""
                name: lazy
                steps:
                  s:
                    command: "true"
                    outputs: {model: model.bin}
                """), RunOptions.DEFAULTS);

        assertThat(r.status()).isEqualTo(PipelineStatus.FAILED);
        assertThat(r.step("s").message().orElseThrow()).contains("declared output 'model' (model.bin) was not written");
    }

    @Test
    void aTimeoutKillsTheWholeProcessTree() throws Exception {
        PipelineRunRecord r = run(f.pipeline("""
                name: slow
                steps:
                  s:
                    command: sleep 60 & echo $! > child.pid; echo started; wait
                    timeout: 500ms
                """), RunOptions.DEFAULTS);

        assertThat(r.status()).isEqualTo(PipelineStatus.FAILED);
        assertThat(r.step("s").message().orElseThrow()).contains("timed out after 500ms");
        assertThat(r.step("s").cacheStatus()).contains(CacheStatus.MISS);
        assertThat(f.tracking
                        .getRun(r.step("s").trackingRunId().orElseThrow())
                        .info()
                        .status())
                .isEqualTo(RunStatus.FAILED);
        long child = Long.parseLong(f.read("child.pid").strip());
        assertThat(eventuallyGone(child))
                .as("the step's background child is killed")
                .isTrue();
    }

    @Test
    void retriesRunAFailedStepAgain() {
        PipelineRunRecord r = run(f.pipeline("""
                name: flaky
                steps:
                  s:
                    command: echo try >> runs/s.count; test $(wc -l < runs/s.count) -ge 2
                    retries: 2
                """), RunOptions.DEFAULTS);

        assertThat(r.status()).isEqualTo(PipelineStatus.SUCCEEDED);
        assertThat(r.step("s").attempts()).isEqualTo(2);
        assertThat(f.count("runs/s.count")).isEqualTo(2);
    }

    @Test
    void resumeRerunsOnlyTheFailedStepAndItsDependents() {
        String spec = """
                name: resumable
                steps:
                  a:
                    command: echo a >> runs/a.count; echo a > a.txt
                    outputs: {o: a.txt}
                  side:
                    command: echo side >> runs/side.count
                  b:
                    command: echo b >> runs/b.count; test -f fixed && cat ${inputs.i} > b.txt
                    inputs: {i: steps.a.outputs.o}
                    outputs: {o: b.txt}
                  c:
                    command: echo c >> runs/c.count; cat ${inputs.i} > c.txt
                    inputs: {i: steps.b.outputs.o}
                    outputs: {o: c.txt}
                """;
        PipelineRunRecord failed = run(f.pipeline(spec), RunOptions.DEFAULTS.noCache(true));
        assertThat(failed.status()).isEqualTo(PipelineStatus.FAILED);
        assertThat(failed.failedStep()).contains("b");
        f.write("fixed", "");

        PipelineRunRecord resumed = f.engine.resume(failed.id());

        assertThat(resumed.id()).isEqualTo(failed.id());
        assertThat(resumed.status()).isEqualTo(PipelineStatus.SUCCEEDED);
        assertThat(f.count("runs/a.count")).isEqualTo(1);
        assertThat(f.count("runs/side.count")).isEqualTo(1);
        assertThat(f.count("runs/b.count")).isEqualTo(2);
        assertThat(f.count("runs/c.count")).isEqualTo(1);
        assertThat(f.read("c.txt")).isEqualTo("a\n");
        assertThat(f.tracking.getRun(resumed.trackingRunId()).info().status()).isEqualTo(RunStatus.FINISHED);
        assertThatThrownBy(() -> f.engine.resume(failed.id())).hasMessageContaining("nothing to resume");
    }

    @Test
    void falseConditionsSkipAStepAndWhatConsumesIt() {
        PipelineRunRecord r = run(f.pipeline("""
                name: conditional
                params: {retrain: false}
                steps:
                  train:
                    command: echo m > model.txt
                    outputs: {m: model.txt}
                    when: params.retrain == true
                  deploy:
                    command: cat ${inputs.m}
                    inputs: {m: steps.train.outputs.m}
                  notify:
                    command: echo done
                    after: [train]
                """), RunOptions.DEFAULTS);

        assertThat(r.status()).isEqualTo(PipelineStatus.SUCCEEDED);
        assertThat(statusOf(r, "train")).isEqualTo(StepStatus.SKIPPED);
        assertThat(statusOf(r, "deploy")).isEqualTo(StepStatus.SKIPPED);
        assertThat(statusOf(r, "notify")).isEqualTo(StepStatus.SUCCEEDED);
    }

    @Test
    void missingInputsFailBeforeAnythingRuns() {
        Pipeline p = f.pipeline(CHAIN.replace("data/raw.csv", "data/absent.csv"));

        assertThatThrownBy(() -> run(p, RunOptions.DEFAULTS))
                .hasMessageContaining("step 'prepare' input 'raw': input 'data/absent.csv' does not exist");
        assertThat(f.engine.recent(java.util.Optional.empty(), 10)).isEmpty();
        assertThat(f.count("runs/prepare.count")).isZero();
    }

    @Test
    void unknownParametersAreRejected() {
        assertThatThrownBy(() -> run(f.pipeline(CHAIN), RunOptions.withParams(Map.of("rate", "1"))))
                .hasMessageContaining("unknown parameter 'rate'");
    }

    @Test
    void cancelKillsRunningStepsAndRecordsACancelledRun() throws Exception {
        Pipeline p = f.pipeline("""
                name: long
                steps:
                  s:
                    command: echo $$ > s.pid; sleep 60
                  t:
                    command: "true"
                    after: [s]
                """);
        var result = java.util.concurrent.CompletableFuture.supplyAsync(() -> run(p, RunOptions.DEFAULTS));
        Path pid = f.project.resolve("s.pid");
        for (int i = 0; i < 400 && !Files.exists(pid); i++) {
            Thread.sleep(25);
        }
        String id = f.engine.recent(java.util.Optional.of("long"), 1).get(0).id();

        // Cancelled through another engine, as "cairn pipeline cancel" does from its own process.
        try (PipelineEngine other =
                PipelineEngine.builder(f.db, f.tracking, f.blobs).build()) {
            other.cancel(id);
        }
        PipelineRunRecord r = result.get(30, java.util.concurrent.TimeUnit.SECONDS);

        assertThat(r.status()).isEqualTo(PipelineStatus.CANCELLED);
        assertThat(statusOf(r, "s")).isEqualTo(StepStatus.CANCELLED);
        assertThat(statusOf(r, "t")).isEqualTo(StepStatus.CANCELLED);
        assertThat(f.tracking.getRun(r.trackingRunId()).info().status()).isEqualTo(RunStatus.KILLED);
    }

    /** Whether a process has stopped running (a zombie awaiting its reaper has stopped), waiting up to 10 s. */
    private static boolean eventuallyGone(long pid) throws Exception {
        Path stat = Path.of("/proc/" + pid + "/stat");
        for (int i = 0; i < 200; i++) {
            if (!Files.exists(stat)) {
                return true;
            }
            String content = Files.readString(stat);
            if (content.substring(content.lastIndexOf(')') + 2).startsWith("Z")) {
                return true;
            }
            Thread.sleep(50);
        }
        return false;
    }

    @Test
    void builtinStepsRunInProcessAndAreCachedLikeCommands() throws Exception {
        java.util.concurrent.atomic.AtomicInteger calls = new java.util.concurrent.atomic.AtomicInteger();
        dev.cairn.pipelines.builtin.BuiltinStep upper = new dev.cairn.pipelines.builtin.BuiltinStep() {
            @Override
            public String name() {
                return "upper";
            }

            @Override
            public String version() {
                return "1";
            }

            @Override
            public void run(dev.cairn.pipelines.builtin.BuiltinContext c) throws Exception {
                calls.incrementAndGet();
                String text = Files.readString(c.inputs().get("text"));
                Files.writeString(
                        c.outputs().get("upper"),
                        text.toUpperCase(java.util.Locale.ROOT) + c.with().get("suffix"));
                c.logMetric("chars", text.length(), 0);
            }
        };
        try (PipelineEngine engine = PipelineEngine.builder(f.db, f.tracking, f.blobs)
                .builtins(dev.cairn.pipelines.builtin.BuiltinSteps.empty().register(upper))
                .logRoot(root.resolve("logs"))
                .build()) {
            Pipeline p = f.pipeline("""
                    name: builtin
                    params: {mark: "!"}
                    steps:
                      shout:
                        uses: upper
                        with: {suffix: "${params.mark}"}
                        inputs: {text: data/raw.csv}
                        outputs: {upper: out/upper.txt}
                    """);

            PipelineRunRecord first = engine.run(p, RunOptions.DEFAULTS);
            PipelineRunRecord second = engine.run(p, RunOptions.DEFAULTS);

            assertThat(first.status()).isEqualTo(PipelineStatus.SUCCEEDED);
            assertThat(f.read("out/upper.txt")).isEqualTo("A,B\n1,2\n!");
            assertThat(second.step("shout").status()).isEqualTo(StepStatus.CACHED);
            assertThat(calls.get()).isEqualTo(1);
            String run = first.step("shout").trackingRunId().orElseThrow();
            assertThat(f.tracking.getRun(run).latestMetrics())
                    .extracting(Metric::key)
                    .containsExactly("chars");
        }
        assertThatThrownBy(() -> f.engine.run(f.pipeline("""
                        name: nobuiltin
                        steps:
                          s: {uses: missing}
                        """), RunOptions.DEFAULTS))
                .hasMessageContaining("step 's' uses unknown built-in step 'missing'");
    }

    @Test
    void datasetVersionsAreInputsKeyedByTheirContent() throws Exception {
        var datasets = new dev.cairn.datasets.DatasetVersions(f.db, f.blobs);
        Path source = Files.createDirectories(root.resolve("flights"));
        Files.writeString(source.resolve("part-1.csv"), "delay\n5\n");
        datasets.add(new dev.cairn.datasets.DatasetVersions.AddRequest(source, "flights", "first", false));
        Pipeline p = f.pipeline("""
                name: on-data
                steps:
                  count:
                    command: echo run >> runs/count.count; cat ${inputs.flights}/part-1.csv > rows.txt
                    inputs: {flights: "dataset:flights"}
                    outputs: {rows: rows.txt}
                """);

        assertThat(run(p, RunOptions.DEFAULTS).status()).isEqualTo(PipelineStatus.SUCCEEDED);
        assertThat(f.read("rows.txt")).isEqualTo("delay\n5\n");
        assertThat(statusOf(run(p, RunOptions.DEFAULTS), "count")).isEqualTo(StepStatus.CACHED);

        Files.writeString(source.resolve("part-1.csv"), "delay\n7\n");
        datasets.add(new dev.cairn.datasets.DatasetVersions.AddRequest(source, "flights", "second", false));
        PipelineRunRecord onNewVersion = run(p, RunOptions.DEFAULTS);

        assertThat(statusOf(onNewVersion, "count")).isEqualTo(StepStatus.SUCCEEDED);
        assertThat(f.read("rows.txt")).isEqualTo("delay\n7\n");
        assertThat(f.count("runs/count.count")).isEqualTo(2);
        assertThatThrownBy(() -> run(f.pipeline("""
                        name: no-data
                        steps:
                          s:
                            command: "true"
                            inputs: {d: "dataset:nope"}
                        """), RunOptions.DEFAULTS)).hasMessageContaining("step 's' input 'd'");
    }
}
