package dev.cairn.reproduce;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.artifacts.BlobStore;
import dev.cairn.datasets.DatasetVersions;
import dev.cairn.pipelines.Pipeline;
import dev.cairn.pipelines.builtin.BuiltinSteps;
import dev.cairn.pipelines.execution.PipelineEngine;
import dev.cairn.pipelines.execution.PipelineRunRecord;
import dev.cairn.pipelines.execution.PipelineStatus;
import dev.cairn.pipelines.execution.RunOptions;
import dev.cairn.store.Database;
import dev.cairn.store.TestDatabases;
import dev.cairn.tracking.TrackingStore;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A real project for reproduction tests: a git repository whose {@code flights/} project trains
 * XGBoost with a fixed seed (a Java source program run with this test's classpath) on the committed
 * flights sample, registered as dataset {@code flights}, with a SQLite store and a blob directory.
 */
final class FlightsProject implements AutoCloseable {
    static final Path SAMPLE = Path.of("../examples/data/flights-sample-6k.csv");

    final Path root;
    final Path repo;
    final Path project;
    final Path scratch;
    final Database db;
    final TrackingStore tracking;
    final BlobStore blobs;
    final DatasetVersions datasets;
    final PipelineEngine engine;

    FlightsProject(Path root) throws Exception {
        this.root = root;
        this.repo = Files.createDirectories(root.resolve("repo"));
        this.project = Files.createDirectories(repo.resolve("flights"));
        this.scratch = Files.createDirectories(root.resolve("scratch"));
        this.db = TestDatabases.sqlite(Files.createDirectories(root.resolve("store")));
        this.tracking = TrackingStore.on(db);
        this.blobs = BlobStore.local(root.resolve("blobs"));
        this.datasets = new DatasetVersions(db, blobs);
        this.engine = PipelineEngine.builder(db, tracking, blobs)
                .logRoot(root.resolve("logs"))
                .datasetCheckouts(root.resolve("datasets"))
                .parallelism(1)
                .build();
        git(repo, "init", "-q");
        Files.writeString(project.resolve("Train.java"), trainSource());
        Files.writeString(repo.resolve(".gitignore"), "out/\n");
        commit("the flights model");
    }

    /** A pipeline training on {@code data} (a dataset reference or a file path). */
    Pipeline pipeline(String data) {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String yaml = """
                name: flights-delay
                params:
                  seed: 42
                  rounds: 20
                steps:
                  train:
                    command: ["JAVA", -cp, "CLASSPATH", Train.java, "${inputs.data}", "${outputs.model}", "${params.seed}", "${params.rounds}"]
                    inputs: {data: "DATA"}
                    outputs: {model: out/model/}
                """.replace("JAVA", java)
                .replace("CLASSPATH", System.getProperty("java.class.path"))
                .replace("DATA", data);
        return Pipeline.parse(yaml, project, "cairn.yaml");
    }

    /** A quick pipeline (no training) whose one step counts the lines of the dataset's file. */
    Pipeline countPipeline(Path projectDir) {
        String yaml = """
                name: flights-count
                steps:
                  train:
                    command: wc -l < ${inputs.data}/flights.csv > ${outputs.count}
                    inputs: {data: "dataset:flights"}
                    outputs: {count: out/count.txt}
                """;
        return Pipeline.parse(yaml, projectDir, "cairn.yaml");
    }

    /** Overwrites the stored blob {@code sha256} with other bytes, as a failing disk would. */
    void corruptBlob(String sha256) throws IOException {
        Path blob = root.resolve("blobs")
                .resolve("sha256")
                .resolve(sha256.substring(0, 2))
                .resolve(sha256.substring(2));
        assertThat(blob).isRegularFile();
        blob.toFile().setWritable(true);
        Files.writeString(blob, "not what was stored\n");
    }

    /** Runs {@code pipeline} and returns the tracked run id of its train step. */
    String trainRun(Pipeline pipeline) {
        PipelineRunRecord record = engine.run(pipeline, RunOptions.DEFAULTS);
        assertThat(record.status()).as("%s", record).isEqualTo(PipelineStatus.SUCCEEDED);
        return record.step("train").trackingRunId().orElseThrow();
    }

    Reproducer reproducer() {
        return Reproducer.over(db, blobs, BuiltinSteps.empty());
    }

    ReproduceOptions options() {
        return ReproduceOptions.defaults().scratch(scratch);
    }

    void addDataset(Path dir) {
        datasets.add(new DatasetVersions.AddRequest(dir, "flights", "flights sample"));
    }

    /** A directory holding a copy of the committed sample, optionally without its last {@code dropRows} rows. */
    Path sampleDir(String name, int dropRows) throws IOException {
        Path dir = Files.createDirectories(root.resolve(name));
        List<String> lines = Files.readAllLines(SAMPLE);
        Files.write(dir.resolve("flights.csv"), lines.subList(0, lines.size() - dropRows));
        return dir;
    }

    void commit(String message) throws Exception {
        git(repo, "add", "-A");
        git(repo, "-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "-q", "-m", message);
    }

    /** Whether the repository has no worktree but its own and the scratch directory is empty. */
    void assertNothingLeftBehind() throws Exception {
        assertThat(git(repo, "worktree", "list").strip().lines()).hasSize(1);
        try (var files = Files.list(scratch)) {
            assertThat(files.toList()).isEmpty();
        }
    }

    static String trainSource() {
        try (InputStream in = FlightsProject.class.getResourceAsStream("/reproduce/Train.java.txt")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String git(Path dir, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("git", "-C", dir.toString()));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as("git %s: %s", List.of(args), out).isZero();
        return out;
    }

    @Override
    public void close() {
        engine.close();
        db.close();
    }
}
