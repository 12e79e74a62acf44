package dev.cairn.artifacts;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StagedFilesTest {
    @TempDir
    Path work;

    @Test
    void filesInNewNestedDirectoriesFromManyThreadsAppearTogetherAtPublish() throws Exception {
        Path root = work.resolve("out");
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try (StagedFiles staged = new StagedFiles()) {
            List<Future<?>> writes = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                Path target = root.resolve("part=" + (i % 50) + "/day=" + i + "/data.csv");
                String content = "row " + i;
                writes.add(pool.submit(() -> {
                    staged.write(new ByteArrayInputStream(content.getBytes(StandardCharsets.UTF_8)), target);
                    return null;
                }));
            }
            for (Future<?> write : writes) {
                write.get();
            }
            assertThat(dataFiles(root)).as("nothing appears before publish").isEmpty();

            staged.publish();
        } finally {
            pool.shutdownNow();
        }

        assertThat(dataFiles(root)).hasSize(200);
        assertThat(root.resolve("part=7/day=57/data.csv")).hasContent("row 57");
        try (Stream<Path> all = Files.walk(root)) {
            assertThat(all.filter(Files::isRegularFile))
                    .as("no temporary file is left")
                    .hasSize(200);
        }
    }

    @Test
    void closingWithoutPublishLeavesNoFileBehind() throws IOException {
        Path root = work.resolve("out");
        try (StagedFiles staged = new StagedFiles()) {
            staged.write(new ByteArrayInputStream(new byte[] {1, 2, 3}), root.resolve("a/b/c.bin"));
        }
        try (Stream<Path> all = Files.walk(root)) {
            assertThat(all.filter(Files::isRegularFile)).isEmpty();
        }
    }

    private static List<Path> dataFiles(Path root) throws IOException {
        if (!Files.exists(root)) {
            return List.of();
        }
        try (Stream<Path> all = Files.walk(root)) {
            return all.filter(p -> p.getFileName().toString().equals("data.csv"))
                    .toList();
        }
    }
}
