package dev.cairn.reproduce;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.provenance.CodeVersion;
import dev.cairn.provenance.Dependency;
import dev.cairn.provenance.EntryPoint;
import dev.cairn.provenance.Environment;
import dev.cairn.provenance.Provenance;
import dev.cairn.tracking.Metric;
import dev.cairn.tracking.Run;
import dev.cairn.tracking.RunInfo;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** How a difference is explained from two provenance records, and how metrics decide the verdict. */
class RunComparisonTest {
    private static final CodeVersion GIT = new CodeVersion.Git("c0ffee", false, "e3b0", List.of(), "/r", "p", "");

    @Test
    void aChangedCodeFileAJarAndAParameterAreEachNamed() {
        Provenance recorded = provenance("aaa", "xgboost4j_2.12-3.4.0.jar", "111", "42");
        Provenance reproduced = provenance("bbb", "xgboost4j_2.12-3.4.0.jar", "222", "7");

        List<Reproduction.Cause> causes = RunComparison.causes(recorded, reproduced);

        assertThat(causes).extracting(Reproduction.Cause::kind).containsExactly("code", "parameters", "environment");
        assertThat(causes.get(0).detail())
                .contains("code file Train.java")
                .contains("bbb")
                .contains("aaa");
        assertThat(causes.get(1).detail()).contains("parameter 'seed' is 7").contains("42");
        assertThat(causes.get(2).detail()).contains("jar xgboost4j_2.12-3.4.0.jar changed");
    }

    @Test
    void equalRecordsExplainNothing() {
        Provenance p = provenance("aaa", "a.jar", "111", "42");
        assertThat(RunComparison.causes(p, p)).isEmpty();
    }

    @Test
    void metricsDecideBetweenEquivalentAndDifferent() {
        List<Reproduction.Artifact> changed =
                List.of(new Reproduction.Artifact("outputs/model", "model-content-hash", "a", "b"));
        List<Reproduction.Metric> close = RunComparison.metrics(run(0.900), run(0.9009), 0.001);
        List<Reproduction.Metric> far = RunComparison.metrics(run(0.900), run(0.95), 0.001);

        assertThat(RunComparison.verdict(changed, close)).isEqualTo(Reproduction.Verdict.EQUIVALENT);
        assertThat(RunComparison.verdict(changed, far)).isEqualTo(Reproduction.Verdict.DIFFERENT);
        assertThat(RunComparison.verdict(changed, List.of())).isEqualTo(Reproduction.Verdict.DIFFERENT);
        assertThat(RunComparison.verdict(List.of(), RunComparison.metrics(run(0.9), run(0.9), 0)))
                .isEqualTo(Reproduction.Verdict.IDENTICAL);
    }

    private static Run run(double accuracy) {
        RunInfo info = new RunInfo(
                "r",
                "0",
                "r",
                "u",
                dev.cairn.tracking.RunStatus.FINISHED,
                1L,
                java.util.OptionalLong.of(2L),
                "",
                dev.cairn.tracking.LifecycleStage.ACTIVE);
        return new Run(info, List.of(new Metric("accuracy", accuracy, 1L, 0)), List.of(), List.of(), List.of());
    }

    private static Provenance provenance(String codeSha, String jar, String jarSha, String seed) {
        EntryPoint entry = new EntryPoint(
                EntryPoint.STEP,
                "train",
                List.of("java", "Train.java"),
                new TreeMap<>(Map.of("seed", seed)),
                List.of(
                        new EntryPoint.Input("code:Train.java", "Train.java", "/r/p/Train.java", codeSha, "code"),
                        new EntryPoint.Input("data", "dataset:flights", "/d", "f1", "dataset")));
        return new Provenance(
                GIT,
                new Environment("17", "v", "vm", "Linux", "6", "amd64"),
                List.of(new Dependency(jar, jarSha, 10)),
                new TreeMap<>(),
                entry);
    }
}
