package dev.cairn.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cairn.server.CairnServer;
import dev.cairn.server.ServerConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code cairn reproduce} on pipeline runs made by {@code cairn pipeline run} in a real git repository. */
@Timeout(300)
class ReproduceCommandTest {
    private static final String SPEC = """
            name: numbers
            params:
              n: 3
            steps:
              make:
                command: |
                  seq ${params.n} > numbers.txt; echo '{"metric": "count", "value": 3}'
                outputs: {numbers: numbers.txt}
            """;

    /** Training code that logs through the SDK: a seeded number as an artifact and a metric. */
    private static final String SDK_PROGRAM = """
            import dev.cairn.client.ActiveRun;
            import dev.cairn.client.Cairn;
            import java.nio.file.Files;
            import java.nio.file.Path;
            import java.util.Random;

            public class Train {
                public static void main(String[] args) throws Exception {
                    try (Cairn cairn = Cairn.connect(System.getenv("CAIRN_TRACKING_URI"));
                            ActiveRun run = cairn.experiment("sdk-train").newRun().seed("numbers", 7).start()) {
                        int first = new Random(7).nextInt(1000);
                        Path out = Files.createTempDirectory("numbers").resolve("numbers.txt");
                        Files.writeString(out, first + "\\n");
                        run.logArtifact(out, "numbers");
                        run.logMetric("first", first);
                        System.out.println("run " + run.id());
                    }
                }
            }
            """;

    @TempDir
    Path dir;

    @Test
    void aDeterministicRunIsIdenticalAndANoisyOneDifferent() throws Exception {
        Path repo = Files.createDirectories(dir.resolve("repo"));
        Path spec = repo.resolve("project/cairn.yaml");
        Files.createDirectories(spec.getParent());
        Files.writeString(spec, SPEC);
        Files.writeString(repo.resolve(".gitignore"), "*.txt\n");
        git(repo, "init", "-q");
        git(repo, "add", "-A");
        git(repo, "-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "-q", "-m", "numbers");

        String id = pipelineRun(spec);
        CliResult same = cairn("reproduce", id);
        assertThat(same.exitCode()).as(same.err()).isZero();
        assertThat(same.out()).startsWith("IDENTICAL  run " + id).contains("same     make/outputs/numbers");
        CliResult json = cairn("reproduce", "--json", id);
        JsonNode tree = new ObjectMapper().readTree(json.out());
        assertThat(tree.path("verdict").asText()).isEqualTo("IDENTICAL");
        assertThat(tree.path("run_id").asText()).isEqualTo(id);

        // Random bytes and no metric to fall back on: nothing can make it equivalent.
        Files.writeString(
                spec,
                SPEC.replace(
                        "seq ${params.n} > numbers.txt; echo '{\"metric\": \"count\", \"value\": 3}'",
                        "od -An -N8 -tx8 /dev/urandom > numbers.txt"));
        String noisy = pipelineRun(spec);
        CliResult different = cairn("reproduce", noisy);
        assertThat(different.exitCode()).isEqualTo(ReproduceCommand.DIFFERENT_EXIT_CODE);
        assertThat(different.out())
                .startsWith("DIFFERENT")
                .contains("differs  make/outputs/numbers")
                .contains("likely causes:")
                .contains("nondeterminism");
        try (var left = Files.list(dir.resolve("scratch"))) {
            assertThat(left.toList()).isEmpty();
        }
    }

    @Test
    void aRunStartedThroughTheSdkIsReRunFromItsCommandLine() throws Exception {
        Path repo = Files.createDirectories(dir.resolve("sdk-repo"));
        Files.writeString(repo.resolve("Train.java"), SDK_PROGRAM);
        git(repo, "init", "-q");
        git(repo, "add", "-A");
        git(repo, "-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "-q", "-m", "sdk");
        try (CairnServer server = CairnServer.start(
                ServerConfig.builder().home(dir.resolve("home")).port(0).build())) {
            String url = "http://127.0.0.1:" + server.port();
            ProcessBuilder train = new ProcessBuilder(
                            Path.of(System.getProperty("java.home"), "bin", "java")
                                    .toString(),
                            "-cp",
                            System.getProperty("java.class.path"),
                            "Train.java")
                    .directory(repo.toFile())
                    .redirectErrorStream(true);
            train.environment().put("CAIRN_TRACKING_URI", url);
            Process process = train.start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(process.waitFor()).as(output).isZero();
            String runId = output.lines()
                    .filter(l -> l.startsWith("run "))
                    .findFirst()
                    .orElseThrow()
                    .substring(4);

            CliResult result = cairn("reproduce", "--tracking-uri=" + url, runId);

            assertThat(result.exitCode()).as(result.out() + result.err()).isZero();
            assertThat(result.out())
                    .startsWith("IDENTICAL  run " + runId)
                    .contains("same     numbers/numbers.txt")
                    .contains("same     metric first = ");
        }
    }

    @Test
    void anUnknownRunIsAnErrorNamingIt() {
        CliResult result = cairn("reproduce", "no-such-run");
        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).contains("no-such-run");
    }

    private String pipelineRun(Path spec) {
        CliResult run = CliResult.run("pipeline", "run", "--home=" + dir.resolve("home"), "-f", spec.toString());
        assertThat(run.exitCode()).as(run.err()).isZero();
        return run.out()
                .lines()
                .filter(l -> l.startsWith("pipeline run "))
                .map(l -> l.split(" ")[2])
                .findFirst()
                .orElseThrow();
    }

    private CliResult cairn(String command, String... args) {
        List<String> all = new ArrayList<>(
                List.of(command, "--home=" + dir.resolve("home"), "--scratch=" + dir.resolve("scratch")));
        all.addAll(List.of(args));
        return CliResult.run(all.toArray(String[]::new));
    }

    private static void git(Path dir, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("git", "-C", dir.toString()));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as("git %s: %s", List.of(args), out).isZero();
    }
}
