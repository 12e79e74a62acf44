package dev.cairn.pipelines;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.core.CairnException;
import dev.cairn.core.ErrorCode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PipelineSpecTest {
    private static final String SPEC = """
            name: churn
            params:
              lr: {type: float, default: 0.1}
              epochs: 10
              retrain: true
              label: {type: string, default: churned}
            schedule: "0 * * * *"
            triggers:
              datasets: [customers]
            steps:
              prepare:
                command: ["sh", "prepare.sh", "${params.label}"]
                inputs:
                  raw: data/raw.csv
                outputs:
                  features: out/features.csv
                  stats: out/stats/
              train:
                command: python3 train.py --lr ${params.lr} --epochs ${params.epochs} ${inputs.features}
                inputs:
                  features: steps.prepare.outputs.features
                outputs:
                  model: {path: out/model, type: dir}
                env:
                  SEED: "42"
                retries: 2
                timeout: 5m
                when: params.retrain == true && params.lr < 1
            """;

    @TempDir
    Path dir;

    private Pipeline parse(String yaml) {
        return Pipeline.parse(yaml, dir, "cairn.yaml");
    }

    private String errorOf(String yaml) {
        CairnException e = (CairnException) org.assertj.core.api.Assertions.catchThrowable(() -> parse(yaml));
        assertThat(e).isNotNull();
        assertThat(e.code()).isEqualTo(ErrorCode.INVALID_PARAMETER_VALUE);
        return e.getMessage();
    }

    @Test
    void readsEveryPartOfASpec() {
        Pipeline p = parse(SPEC);

        assertThat(p.name()).isEqualTo("churn");
        assertThat(p.params().get("lr")).isEqualTo(new ParamSpec("lr", ParamType.FLOAT, Optional.of(0.1)));
        assertThat(p.params().get("epochs").type()).isEqualTo(ParamType.INT);
        assertThat(p.params().get("retrain").type()).isEqualTo(ParamType.BOOL);
        assertThat(p.schedule()).contains("0 * * * *");
        assertThat(p.triggers().datasets()).containsExactly("customers");
        Step prepare = p.step("prepare");
        assertThat(prepare.action())
                .isEqualTo(new StepAction.Command(List.of("sh", "prepare.sh", "${params.label}"), false));
        assertThat(prepare.outputs().get("stats").kind()).isEqualTo(OutputSpec.Kind.DIRECTORY);
        assertThat(prepare.outputs().get("stats").path()).isEqualTo("out/stats");
        Step train = p.step("train");
        assertThat(((StepAction.Command) train.action()).shell()).isTrue();
        assertThat(train.upstream()).containsExactly("prepare");
        assertThat(train.referencedParams()).containsExactly("epochs", "lr", "retrain");
        assertThat(train.timeout()).contains(Duration.ofMinutes(5));
        assertThat(train.retries()).isEqualTo(2);
        assertThat(train.env()).containsEntry("SEED", "42");
        assertThat(train.when().orElseThrow().evaluate(Map.of("retrain", true, "lr", 0.1)))
                .isTrue();
        assertThat(train.when().orElseThrow().evaluate(Map.of("retrain", false, "lr", 0.1)))
                .isFalse();
    }

    @Test
    void theBuilderBuildsTheSamePipeline() {
        Pipeline built = Pipeline.builder("churn")
                .projectDir(dir)
                .param("lr", ParamType.FLOAT, 0.1)
                .param("epochs", 10L)
                .param("retrain", true)
                .param("label", "churned")
                .schedule("0 * * * *")
                .triggers(new Triggers(List.of("customers"), List.of(), List.of()))
                .step("prepare", s -> s.command("sh", "prepare.sh", "${params.label}")
                        .input("raw", "data/raw.csv")
                        .output("features", "out/features.csv")
                        .outputDir("stats", "out/stats"))
                .step("train", s -> s.shell(
                                "python3 train.py --lr ${params.lr} --epochs ${params.epochs} ${inputs.features}")
                        .input("features", "steps.prepare.outputs.features")
                        .outputDir("model", "out/model")
                        .env("SEED", "42")
                        .retries(2)
                        .timeout(Duration.ofMinutes(5))
                        .when("params.retrain == true && params.lr < 1"))
                .build();

        assertThat(built).isEqualTo(parse(SPEC));
    }

    @Test
    void theCanonicalFormReadsBackToAnEqualPipeline() {
        Pipeline p = parse(SPEC);

        assertThat(Pipeline.parse(p.toCanonicalJson(), dir, "snapshot")).isEqualTo(p);
    }

    @Test
    void loadsAFileWithItsDirectoryAsProject() throws Exception {
        Path file = dir.resolve("cairn.yaml");
        Files.writeString(file, SPEC);

        assertThat(Pipeline.load(file).projectDir())
                .isEqualTo(dir.toAbsolutePath().normalize());
        assertThatThrownBy(() -> Pipeline.load(dir.resolve("missing.yaml")))
                .isInstanceOfSatisfying(
                        CairnException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.RESOURCE_DOES_NOT_EXIST));
    }

    @Test
    void invalidYamlIsReportedWithLineAndColumn() {
        String message = errorOf("""
                name: x
                steps:
                  a:
                    command: [sh, -c
                    outputs: {}
                """);

        assertThat(message).startsWith("cairn.yaml:5:").contains("invalid YAML");
    }

    @Test
    void unknownKeysAreReportedWithLineColumnAndTheKnownKeys() {
        String message = errorOf("""
                name: x
                steps:
                  a:
                    command: echo hi
                    retrys: 3
                """);

        assertThat(message)
                .contains("cairn.yaml:5:5: unknown key 'retrys' in step 'a'")
                .contains("known keys: after, code, command, description, env, inputs, outputs, params, retries,"
                        + " timeout, uses, when, with, workdir");
    }

    @Test
    void duplicateKeysAreErrors() {
        assertThat(errorOf("""
                name: x
                steps:
                  a: {command: echo a}
                  a: {command: echo b}
                """)).contains("cairn.yaml:4:3: duplicate key 'a'");
    }

    @Test
    void typeErrorsNameTheFieldAndValue() {
        String message = errorOf("""
                name: x
                params:
                  lr: {type: float, default: fast}
                  n: {type: integer}
                steps:
                  a:
                    command: echo a
                    retries: many
                """);

        assertThat(message)
                .contains("cairn.yaml:3:30: parameter 'lr' is of type float, got 'fast'")
                .contains("cairn.yaml:4:3: parameter 'n' has unknown type 'integer'")
                .contains("cairn.yaml:8:14: 'retries' must be an integer, got 'many'");
    }

    @Test
    void cyclesAreNamed() {
        String message = errorOf("""
                name: x
                steps:
                  a:
                    command: echo a
                    inputs: {x: steps.c.outputs.o}
                    outputs: {o: a.txt}
                  b:
                    command: echo b
                    inputs: {x: steps.a.outputs.o}
                    outputs: {o: b.txt}
                  c:
                    command: echo c
                    inputs: {x: steps.b.outputs.o}
                    outputs: {o: c.txt}
                """);

        assertThat(message)
                .contains("cycle between steps: ")
                .containsPattern("(a -> b -> c -> a|b -> c -> a -> b|c -> a -> b -> c)");
    }

    @Test
    void referencesToUnknownStepsOutputsAndParamsAreErrors() {
        String message = errorOf("""
                name: x
                params: {lr: 0.1}
                steps:
                  a:
                    command: echo ${params.rate} ${inputs.nope}
                    inputs:
                      x: steps.z.outputs.o
                    outputs: {o: a.txt}
                  b:
                    command: echo b
                    inputs:
                      y: steps.a.outputs.missing
                    when: params.flag == true
                """);

        assertThat(message)
                .contains("cairn.yaml:7:10: input 'x' of step 'a' refers to unknown step 'z'")
                .contains("refers to unknown parameter 'rate'; parameters: [lr]")
                .contains("refers to unknown input '${inputs.nope}'")
                .contains("cairn.yaml:12:10: input 'y' of step 'b' refers to unknown output 'missing' of step 'a'")
                .contains("refers to unknown parameter 'flag'");
    }

    @Test
    void aStepNeedsExactlyOneAction() {
        assertThat(errorOf("""
                name: x
                steps:
                  a:
                    outputs: {o: a.txt}
                """)).contains("cairn.yaml:3:3: step 'a' needs exactly one of 'command' or 'uses'");
    }

    @Test
    void outputsMustStayInsideTheProject() {
        assertThat(errorOf("""
                name: x
                steps:
                  a:
                    command: echo
                    outputs: {o: ../outside.txt}
                """)).contains("path '../outside.txt' must be relative to the project directory");
    }

    @Test
    void badSchedulesConditionsAndTimeoutsAreErrors() {
        String message = errorOf("""
                name: x
                schedule: "61 * * * *"
                steps:
                  a:
                    command: echo
                    timeout: soon
                    when: params.x ==
                """);

        assertThat(message)
                .contains("invalid cron schedule '61 * * * *'")
                .contains("cairn.yaml:6:14: timeout 'soon' is not a duration")
                .contains("cairn.yaml:7:11: condition 'params.x ==' at column");
    }

    @Test
    void parameterOverridesAreTypedAndUnknownOnesRejected() {
        Pipeline p = parse(SPEC);

        assertThat(p.resolveParams(Map.of("lr", "0.5", "epochs", "3", "retrain", "false")))
                .containsEntry("lr", 0.5)
                .containsEntry("epochs", 3L)
                .containsEntry("retrain", false)
                .containsEntry("label", "churned");
        assertThatThrownBy(() -> p.resolveParams(Map.of("learning_rate", "0.5")))
                .hasMessageContaining(
                        "unknown parameter 'learning_rate'; parameters of pipeline 'churn': [lr, epochs, retrain, label]");
        assertThatThrownBy(() -> p.resolveParams(Map.of("epochs", "3.5")))
                .hasMessageContaining("parameter 'epochs' is of type int, got '3.5'");
        assertThatThrownBy(() -> p.resolveParams(Map.of("retrain", "yes")))
                .hasMessageContaining("parameter 'retrain' is of type bool, got 'yes'");
    }

    @Test
    void requiredParametersMustBeGiven() {
        Pipeline p = parse("""
                name: x
                params:
                  day: {type: string}
                steps:
                  a: {command: "echo ${params.day}"}
                """);

        assertThatThrownBy(() -> p.resolveParams(Map.of())).hasMessageContaining("parameter 'day' has no default");
        assertThat(p.resolveParams(Map.of("day", "monday"))).containsEntry("day", "monday");
    }

    @Test
    void theBuilderValidatesLikeTheReader() {
        assertThatThrownBy(() -> Pipeline.builder("x")
                        .step("a", s -> s.command("echo")
                                .input("i", "steps.b.outputs.o")
                                .output("o", "a"))
                        .step("b", s -> s.command("echo")
                                .input("i", "steps.a.outputs.o")
                                .output("o", "b"))
                        .build())
                .hasMessageContaining("cycle between steps:");
    }

    @Test
    void conditionsCombineComparisons() {
        Condition c = Condition.parse("!(params.mode == 'fast') || params.n >= 3 and not params.off");

        assertThat(c.referencedParams()).containsExactly("mode", "n", "off");
        assertThat(c.evaluate(Map.of("mode", "fast", "n", 3L, "off", false))).isTrue();
        assertThat(c.evaluate(Map.of("mode", "fast", "n", 2L, "off", false))).isFalse();
        assertThat(c.evaluate(Map.of("mode", "slow", "n", 0L, "off", true))).isTrue();
        assertThatThrownBy(() -> Condition.parse("params.n >")).hasMessageContaining("unexpected end");
        assertThatThrownBy(() -> Condition.parse("lr > 1")).hasMessageContaining("expected params.<name>");
    }
}
