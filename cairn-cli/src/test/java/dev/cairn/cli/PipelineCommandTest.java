package dev.cairn.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class PipelineCommandTest {
    private static final String SPEC = """
            name: demo
            params:
              n: 3
            steps:
              make:
                command: echo make >> make.count; seq ${params.n} > numbers.txt
                outputs: {numbers: numbers.txt}
              sum:
                command: |
                  awk '{s+=$1} END {print s}' ${inputs.numbers} > sum.txt; echo '{"metric": "sum", "value": 6}'
                inputs: {numbers: steps.make.outputs.numbers}
                outputs: {sum: sum.txt}
            """;

    @TempDir
    Path dir;

    Path spec;

    record Result(int code, String out, String err) {}

    @BeforeEach
    void writeSpec() throws Exception {
        spec = dir.resolve("project/cairn.yaml");
        Files.createDirectories(spec.getParent());
        Files.writeString(spec, SPEC);
    }

    private Result cli(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = new CommandLine(new PipelineCommand());
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        List<String> all = new ArrayList<>(List.of(args));
        all.add(1, "--home=" + dir.resolve("home"));
        int code = cl.execute(all.toArray(String[]::new));
        return new Result(code, out.toString(), err.toString());
    }

    private static String idIn(String output) {
        return output.lines()
                .filter(l -> l.startsWith("pipeline run "))
                .map(l -> l.split(" ")[2])
                .findFirst()
                .orElseThrow();
    }

    @Test
    void runThenRerunFromTheCacheThenExplain() throws Exception {
        Result first = cli("run", "-f", spec.toString());
        assertThat(first.code()).as(first.err()).isZero();
        assertThat(first.out())
                .contains("pipeline demo: 2 steps")
                .containsPattern("make +SUCCEEDED")
                .contains("SUCCEEDED in");
        assertThat(Files.readString(dir.resolve("project/sum.txt"))).isEqualTo("6\n");

        Result second = cli("run", "-f", spec.toString());
        assertThat(second.out())
                .containsPattern("make +CACHED")
                .containsPattern("sum +CACHED")
                .contains("[cache hit]");
        assertThat(Files.readAllLines(dir.resolve("project/make.count"))).hasSize(1);

        Result explain = cli("explain", "-f", spec.toString(), "-p", "n=4");
        assertThat(explain.out())
                .containsPattern("make +MISS +param 'n' changed: 3 -> 4")
                .containsPattern("sum +MISS");

        Result status = cli("status");
        assertThat(status.out())
                .contains(idIn(first.out()))
                .contains(idIn(second.out()))
                .contains("SUCCEEDED");
        Result detail = cli("status", idIn(second.out()));
        assertThat(detail.out()).containsPattern("sum +CACHED +HIT");
        Result logs = cli("logs", idIn(first.out()), "--step", "sum");
        assertThat(logs.out()).contains("==> sum stdout <==").contains("{\"metric\": \"sum\", \"value\": 6}");
    }

    @Test
    void specErrorsArePrintedWholeWithLineAndColumn() throws Exception {
        Files.writeString(spec, SPEC.replace("    outputs: {numbers", "    output: {numbers"));

        Result r = cli("run", "-f", spec.toString());

        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).contains("cairn.yaml:7:5: unknown key 'output' in step 'make'");
    }

    @Test
    void unknownParametersAreRejected() {
        Result r = cli("run", "-f", spec.toString(), "-p", "count=3");

        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).contains("unknown parameter 'count'");
    }

    @Test
    void aFailedRunSaysHowToResumeAndResumeFinishesIt() throws Exception {
        Files.writeString(spec, SPEC.replace("awk", "test -f ok && awk"));
        Result failed = cli("run", "-f", spec.toString());
        assertThat(failed.code()).isEqualTo(1);
        assertThat(failed.out()).contains("FAILED").contains("cairn pipeline resume " + idIn(failed.out()));
        Files.writeString(dir.resolve("project/ok"), "");

        Result resumed = cli("resume", idIn(failed.out()));

        assertThat(resumed.code()).as(resumed.out() + resumed.err()).isZero();
        assertThat(resumed.out()).containsPattern("sum +SUCCEEDED");
        assertThat(Files.readAllLines(dir.resolve("project/make.count"))).hasSize(1);
    }

    @Test
    void aKilledRunIsShownInterruptedAndCanBeResumed() throws Exception {
        Files.writeString(spec, SPEC.replace("awk", "touch started; test -f fast || sleep 120; awk"));
        Process cli = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-cp",
                        System.getProperty("java.class.path"),
                        PipelineCommandMain.class.getName(),
                        "run",
                        "--home=" + dir.resolve("home"),
                        "-f",
                        spec.toString())
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("cli.log").toFile())
                .start();
        Path started = dir.resolve("project/started");
        for (int i = 0; i < 1200 && !Files.exists(started) && cli.isAlive(); i++) {
            Thread.sleep(50);
        }
        assertThat(started).as(Files.readString(dir.resolve("cli.log"))).exists();
        // kill -9 the CLI, as a crash or an OOM killer would; its orphaned step goes too.
        List<ProcessHandle> tree = cli.descendants().toList();
        cli.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        tree.forEach(ProcessHandle::destroyForcibly);

        Result status = cli("status");
        assertThat(status.out()).contains("INTERRUPTED");
        String id = status.out().lines().skip(1).findFirst().orElseThrow().split(" ")[0];
        Files.writeString(dir.resolve("project/fast"), "");
        Result resumed = cli("resume", id);

        assertThat(resumed.code()).as(resumed.out() + resumed.err()).isZero();
        assertThat(Files.readString(dir.resolve("project/sum.txt"))).isEqualTo("6\n");
        assertThat(Files.readAllLines(dir.resolve("project/make.count"))).hasSize(1);
        assertThat(cli("status", id).out()).contains("SUCCEEDED");
    }

    @Test
    void isASubcommandOfCairn() {
        CliResult help = CliResult.run("pipeline", "--help");

        assertThat(help.exitCode()).isZero();
        assertThat(help.out()).contains("run", "status", "logs", "cancel", "resume", "explain");
    }
}
