package dev.cairn.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import dev.cairn.artifacts.BlobStore;
import dev.cairn.datasets.DatasetVersion;
import dev.cairn.datasets.DatasetVersions;
import dev.cairn.server.CairnServer;
import dev.cairn.server.ServerConfig;
import dev.cairn.store.Database;
import dev.cairn.store.StoreUrl;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine.TypeConversionException;

/**
 * {@code cairn reproduce} of runs started by a process through the SDK: the dataset versions they
 * logged as inputs are restored for the re-run, and a re-run that does not finish is stopped.
 */
@Timeout(300)
class ReproduceProcessRunTest {
    /**
     * Training code that reads a dataset version from {@code CAIRN_INPUT_NUMBERS}, logs it as its
     * input (MLflow's log-inputs, as the Python client does) and logs the sum of its numbers.
     */
    private static final String DATA_PROGRAM = """
            import dev.cairn.client.ActiveRun;
            import dev.cairn.client.Cairn;
            import java.net.URI;
            import java.net.http.HttpClient;
            import java.net.http.HttpRequest;
            import java.net.http.HttpResponse;
            import java.nio.file.Files;
            import java.nio.file.Path;
            import java.util.List;

            public class Train {
                public static void main(String[] args) throws Exception {
                    String uri = System.getenv("CAIRN_TRACKING_URI");
                    List<String> input = Files.readAllLines(Path.of("input.txt"));
                    Path data = Path.of(System.getenv("CAIRN_INPUT_NUMBERS")).resolve("numbers.csv");
                    long sum = Files.readAllLines(data).stream().skip(1).mapToLong(Long::parseLong).sum();
                    try (Cairn cairn = Cairn.connect(uri);
                            ActiveRun run = cairn.experiment("sdk-data").newRun().start()) {
                        String body = "{\\"run_id\\": \\"" + run.id() + "\\", \\"datasets\\": [{\\"dataset\\": {"
                                + "\\"name\\": \\"numbers\\", \\"digest\\": \\"" + input.get(1) + "\\","
                                + " \\"source_type\\": \\"cairn\\", \\"source\\": \\"" + input.get(0) + "\\"}}]}";
                        HttpResponse<String> logged = HttpClient.newHttpClient().send(
                                HttpRequest.newBuilder(URI.create(uri + "/api/2.0/mlflow/runs/log-inputs"))
                                        .header("Content-Type", "application/json")
                                        .POST(HttpRequest.BodyPublishers.ofString(body))
                                        .build(),
                                HttpResponse.BodyHandlers.ofString());
                        if (logged.statusCode() != 200) {
                            throw new IllegalStateException(logged.body());
                        }
                        Path out = Files.createTempDirectory("sum").resolve("sum.txt");
                        Files.writeString(out, sum + "\\n");
                        run.logArtifact(out, "sum");
                        run.logMetric("sum", sum);
                        System.out.println("run " + run.id());
                    }
                }
            }
            """;

    /** A run that, when reproduced, starts a child process that sleeps, and writes its pid to {@code args[0]}. */
    private static final String SLEEPY_PROGRAM = """
            import dev.cairn.client.ActiveRun;
            import dev.cairn.client.Cairn;
            import java.nio.file.Files;
            import java.nio.file.Path;

            public class Train {
                public static void main(String[] args) throws Exception {
                    try (Cairn cairn = Cairn.connect(System.getenv("CAIRN_TRACKING_URI"));
                            ActiveRun run = cairn.experiment("sdk-sleep").newRun().start()) {
                        run.logMetric("one", 1);
                        if (System.getenv("CAIRN_REPRODUCTION_OF") != null) {
                            Process sleeper = new ProcessBuilder("sleep", "600").start();
                            Files.writeString(Path.of(args[0]), Long.toString(sleeper.pid()));
                            sleeper.waitFor();
                        }
                        System.out.println("run " + run.id());
                    }
                }
            }
            """;

    @TempDir
    Path dir;

    private ServerConfig config() {
        return ServerConfig.builder().home(dir.resolve("home")).port(0).build();
    }

    @Test
    void theDatasetVersionsAnSdkRunLoggedAreRestoredForItsReRun() throws Exception {
        DatasetVersion version = addNumbers();
        Path repo = repository("data-repo", DATA_PROGRAM, version);
        Path checkout = dir.resolve("numbers-checkout");
        try (CairnServer server = CairnServer.start(config())) {
            String url = "http://127.0.0.1:" + server.port();
            assertThat(CliResult.run(
                                    "data",
                                    "checkout",
                                    "numbers:1",
                                    checkout.toString(),
                                    "--home=" + dir.resolve("home"))
                            .exitCode())
                    .isZero();
            String runId = train(repo, url, Map.of("CAIRN_INPUT_NUMBERS", checkout.toString()));
            // The re-run cannot read the copy the run read: only a restored version lets it succeed.
            deleteTree(checkout);

            CliResult result = cairn("reproduce", "--tracking-uri=" + url, runId);

            assertThat(result.exitCode()).as(result.out() + result.err()).isZero();
            assertThat(result.out())
                    .startsWith("IDENTICAL  run " + runId)
                    .contains("same     sum/sum.txt")
                    .contains("same     metric sum = ");
            assertThat(children(dir.resolve("scratch"))).isEmpty();
        }
    }

    @Test
    void aCorruptedBlobOfALoggedDatasetFailsTheReproductionNamingTheFile() throws Exception {
        DatasetVersion version = addNumbers();
        Path repo = repository("corrupt-repo", DATA_PROGRAM, version);
        Path checkout = dir.resolve("numbers-checkout");
        try (CairnServer server = CairnServer.start(config())) {
            String url = "http://127.0.0.1:" + server.port();
            CliResult.run("data", "checkout", "numbers:1", checkout.toString(), "--home=" + dir.resolve("home"));
            String runId = train(repo, url, Map.of("CAIRN_INPUT_NUMBERS", checkout.toString()));
            corruptNumbers(version);

            CliResult result = cairn("reproduce", "--tracking-uri=" + url, runId);

            assertThat(result.exitCode()).as(result.out()).isEqualTo(1);
            assertThat(result.err()).contains("cairn-dataset:/numbers/1", runId, "'numbers.csv'", "corrupted");
            assertThat(children(dir.resolve("scratch")))
                    .as("the checkout is removed")
                    .isEmpty();
            assertThat(git(repo, "worktree", "list", "--porcelain").lines().filter(l -> l.startsWith("worktree ")))
                    .hasSize(1);
        }
    }

    @Test
    void aReRunThatDoesNotFinishIsStoppedWithItsChildrenAndItsCheckoutRemoved() throws Exception {
        Path repo = Files.createDirectories(dir.resolve("sleep-repo"));
        Files.writeString(repo.resolve("Train.java"), SLEEPY_PROGRAM);
        commit(repo);
        Path pidFile = dir.resolve("sleeper.pid");
        try (CairnServer server = CairnServer.start(config())) {
            String url = "http://127.0.0.1:" + server.port();
            String runId = train(repo, url, Map.of(), pidFile.toString());

            CliResult result = cairn("reproduce", "--tracking-uri=" + url, "--timeout=20s", runId);

            assertThat(result.exitCode())
                    .as(result.out() + result.err())
                    .isEqualTo(ReproduceCommand.DIFFERENT_EXIT_CODE);
            assertThat(result.out())
                    .startsWith("DIFFERENT  run " + runId)
                    .contains("timeout: the command did not finish within 20s (--timeout) and was stopped");
            assertThat(pidFile).as("the re-run started its sleeping child").exists();
            long pid = Long.parseLong(Files.readString(pidFile).strip());
            assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false))
                    .as("the child process was stopped too")
                    .isFalse();
            assertThat(children(dir.resolve("scratch"))).isEmpty();
            assertThat(git(repo, "worktree", "list", "--porcelain").lines().filter(l -> l.startsWith("worktree ")))
                    .hasSize(1);
        }
    }

    @Test
    void timeoutsAreReadAsDurations() {
        ReproduceCommand.TimeoutConverter converter = new ReproduceCommand.TimeoutConverter();
        assertThat(converter.convert("90s")).isEqualTo(Duration.ofSeconds(90));
        assertThat(converter.convert("1h30m")).isEqualTo(Duration.ofMinutes(90));
        assertThat(converter.convert("250ms")).isEqualTo(Duration.ofMillis(250));
        assertThat(converter.convert("PT2H")).isEqualTo(Duration.ofHours(2));
        assertThat(converter.convert("PT168H")).isEqualTo(Duration.ofDays(7));
        for (String bad : List.of("soon", "0s", "10", "5 m", "PTX", "PT9999999999999H", "PT168H1S", "169h")) {
            assertThatThrownBy(() -> converter.convert(bad))
                    .as(bad)
                    .isInstanceOf(TypeConversionException.class)
                    .hasMessageContaining(bad);
        }
        CliResult refused = cairn("reproduce", "--timeout=whenever", "some-run");
        assertThat(refused.exitCode()).isNotZero();
        assertThat(refused.err()).contains("--timeout", "whenever");
    }

    /** A dataset version of one CSV table large enough for the store to keep it as a file of its own. */
    private DatasetVersion addNumbers() throws IOException {
        StringBuilder csv = new StringBuilder("n\n");
        for (int i = 0; i < 20_000; i++) {
            csv.append(i * 7 % 1009).append('\n');
        }
        Path source = Files.createDirectories(dir.resolve("numbers")).resolve("numbers.csv");
        Files.writeString(source, csv);
        ServerConfig config = config();
        try (Database db = Database.open(StoreUrl.parse(config.storeUrl()))) {
            return new DatasetVersions(db, BlobStore.local(config.artifactsRoot()))
                    .add(new DatasetVersions.AddRequest(source, "numbers", "twenty thousand numbers"))
                    .version();
        }
    }

    private void corruptNumbers(DatasetVersion version) throws IOException {
        ServerConfig config = config();
        String sha256;
        try (Database db = Database.open(StoreUrl.parse(config.storeUrl()))) {
            sha256 = new DatasetVersions(db, BlobStore.local(config.artifactsRoot()))
                    .show(version.ref())
                    .manifest()
                    .byPath()
                    .get("numbers.csv")
                    .sha256();
        }
        Path blob = config.artifactsRoot()
                .resolve("sha256")
                .resolve(sha256.substring(0, 2))
                .resolve(sha256.substring(2));
        assumeThat(Files.isRegularFile(blob))
                .as("blob stored as a file of its own")
                .isTrue();
        byte[] bytes = Files.readAllBytes(blob);
        bytes[bytes.length / 2] ^= 0x10;
        Files.write(blob, bytes);
    }

    /** A git repository holding {@code program} and the input it logs: the version's URI and id. */
    private Path repository(String name, String program, DatasetVersion version) throws Exception {
        Path repo = Files.createDirectories(dir.resolve(name));
        Files.writeString(repo.resolve("Train.java"), program);
        Files.writeString(repo.resolve("input.txt"), version.uri() + "\n" + version.shortId() + "\n");
        commit(repo);
        return repo;
    }

    private static void commit(Path repo) throws Exception {
        git(repo, "init", "-q");
        git(repo, "add", "-A");
        git(repo, "-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "-q", "-m", "train");
    }

    /** Runs the training program once, as its author would; returns its run id. */
    private static String train(Path repo, String url, Map<String, String> environment, String... args)
            throws Exception {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                "Train.java"));
        command.addAll(List.of(args));
        ProcessBuilder train =
                new ProcessBuilder(command).directory(repo.toFile()).redirectErrorStream(true);
        train.environment().put("CAIRN_TRACKING_URI", url);
        train.environment().putAll(environment);
        Process process = train.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor()).as(output).isZero();
        return output.lines()
                .filter(l -> l.startsWith("run "))
                .findFirst()
                .orElseThrow()
                .substring(4);
    }

    private CliResult cairn(String command, String... args) {
        List<String> all = new ArrayList<>(
                List.of(command, "--home=" + dir.resolve("home"), "--scratch=" + dir.resolve("scratch")));
        all.addAll(List.of(args));
        return CliResult.run(all.toArray(String[]::new));
    }

    private static String git(Path dir, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("git", "-C", dir.toString()));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as("git %s: %s", List.of(args), out).isZero();
        return out;
    }

    private static List<Path> children(Path directory) throws IOException {
        if (!Files.isDirectory(directory)) {
            return List.of();
        }
        try (Stream<Path> list = Files.list(directory)) {
            return list.toList();
        }
    }

    private static void deleteTree(Path root) throws IOException {
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
