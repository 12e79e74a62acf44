package dev.cairn.pipelines.execution;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.store.TestDatabases;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The engine's records (V5 tables) on PostgreSQL: a run, a cache hit, a failure and its resume. */
class PipelineEnginePostgresTest {
    @TempDir
    Path root;

    @Test
    void runsCachesFailsAndResumesOnPostgres() throws Exception {
        try (Fixture f = new Fixture(root, TestDatabases.postgresql())) {
            Files.createDirectories(f.project.resolve("runs"));
            String spec = """
                    name: pg
                    params: {n: 3}
                    steps:
                      make:
                        command: echo make >> runs/make.count; seq ${params.n} > n.txt
                        outputs: {o: n.txt}
                      use:
                        command: test -f ok && wc -l < ${inputs.i} > count.txt
                        inputs: {i: steps.make.outputs.o}
                        outputs: {o: count.txt}
                    """;

            PipelineRunRecord failed = f.engine.run(f.pipeline(spec), RunOptions.DEFAULTS);
            assertThat(failed.status()).isEqualTo(PipelineStatus.FAILED);
            assertThat(failed.failedStep()).contains("use");
            f.write("ok", "");
            PipelineRunRecord resumed = f.engine.resume(failed.id());
            assertThat(resumed.status()).isEqualTo(PipelineStatus.SUCCEEDED);

            PipelineRunRecord again = f.engine.run(f.pipeline(spec), RunOptions.DEFAULTS);
            assertThat(again.steps()).extracting(StepRunRecord::status).containsOnly(StepStatus.CACHED);
            assertThat(f.count("runs/make.count")).isEqualTo(1);
            assertThat(f.read("count.txt").strip()).isEqualTo("3");
            assertThat(f.engine.recent(java.util.Optional.of("pg"), 10)).hasSize(2);
        }
    }
}
