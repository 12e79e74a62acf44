package dev.cairn.pipelines.execution;

import dev.cairn.artifacts.BlobStore;
import dev.cairn.pipelines.Pipeline;
import dev.cairn.store.Database;
import dev.cairn.store.StoreUrl;
import dev.cairn.tracking.TrackingStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * Measures the engine, not a test: orchestration overhead per step (a 10-step chain of {@code true}
 * with the cache off, minus the cost of starting the same 10 processes bare) and a no-change re-run
 * of a 10-step chain whose steps read and write files (all cache hits). Prints medians of warm runs.
 *
 * <p>Run: {@code java -cp <test classpath> dev.cairn.pipelines.execution.PipelineBenchmark [runs]}.
 */
public final class PipelineBenchmark {
    private static final int STEPS = 10;

    private PipelineBenchmark() {}

    public static void main(String[] args) throws Exception {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        Path root = Files.createTempDirectory("cairn-pipeline-bench-");
        Path project = Files.createDirectories(root.resolve("project"));
        Files.writeString(project.resolve("input.txt"), "seed\n");
        try (Database db = Database.open(StoreUrl.sqlite(root.resolve("cairn.db")));
                PipelineEngine engine = PipelineEngine.builder(
                                db, TrackingStore.on(db), BlobStore.local(root.resolve("blobs")))
                        .logRoot(root.resolve("logs"))
                        .build()) {
            Pipeline trivial = Pipeline.parse(chain(false), project, "trivial.yaml");
            Pipeline files = Pipeline.parse(chain(true), project, "files.yaml");

            long coldStart = System.nanoTime();
            check(engine.run(files, RunOptions.DEFAULTS));
            double coldMillis = millis(System.nanoTime() - coldStart);

            List<Double> overhead = new ArrayList<>();
            for (int i = 0; i < runs + 2; i++) {
                long bare = bareProcesses(project);
                long start = System.nanoTime();
                check(engine.run(trivial, RunOptions.DEFAULTS.noCache(true)));
                long total = System.nanoTime() - start;
                if (i >= 2) {
                    overhead.add(millis(total - bare) / STEPS);
                }
            }
            List<Double> rerun = new ArrayList<>();
            for (int i = 0; i < runs + 2; i++) {
                long start = System.nanoTime();
                PipelineRunRecord r = engine.run(files, RunOptions.DEFAULTS);
                long total = System.nanoTime() - start;
                check(r);
                if (r.steps().stream().anyMatch(s -> s.status() != StepStatus.CACHED)) {
                    throw new IllegalStateException("expected all cache hits: " + r.steps());
                }
                if (i >= 2) {
                    rerun.add(millis(total));
                }
                if (System.getenv("BENCH_TRACE") != null) {
                    long t0 = r.startTime();
                    StringBuilder line = new StringBuilder("trace total=" + (long) millis(total) + " end="
                            + (r.endTime().getAsLong() - t0));
                    r.steps().forEach(st -> line.append(" ")
                            .append(st.step())
                            .append("=")
                            .append(st.startTime().getAsLong() - t0)
                            .append("..")
                            .append(st.endTime().getAsLong() - t0));
                    System.out.println(line);
                }
            }
            System.out.printf(
                    Locale.ROOT, "first run of the 10-step file chain (cold JVM, cache empty): %.0f ms%n", coldMillis);
            System.out.printf(
                    Locale.ROOT,
                    "orchestration overhead per step: median %.1f ms (min %.1f, max %.1f) over %d runs%n",
                    median(overhead),
                    Collections.min(overhead),
                    Collections.max(overhead),
                    runs);
            System.out.printf(
                    Locale.ROOT,
                    "no-change re-run of 10 steps (all cache hits): median %.0f ms (min %.0f, max %.0f) over %d runs%n",
                    median(rerun),
                    Collections.min(rerun),
                    Collections.max(rerun),
                    runs);
        }
    }

    private static String chain(boolean withFiles) {
        StringBuilder spec = new StringBuilder("name: bench-" + (withFiles ? "files" : "trivial") + "\nsteps:\n");
        for (int i = 1; i <= STEPS; i++) {
            spec.append("  s").append(i).append(":\n");
            if (!withFiles) {
                spec.append("    command: [\"true\"]\n");
                if (i > 1) {
                    spec.append("    after: [s").append(i - 1).append("]\n");
                }
                continue;
            }
            String input = i == 1 ? "input.txt" : "steps.s" + (i - 1) + ".outputs.out";
            spec.append("    command: cat ${inputs.in} > ${outputs.out}; echo step")
                    .append(i)
                    .append(" >> ${outputs.out}\n");
            spec.append("    inputs: {in: \"").append(input).append("\"}\n");
            spec.append("    outputs: {out: out/s").append(i).append(".txt}\n");
        }
        return spec.toString();
    }

    /** Nanoseconds to start and wait for {@code STEPS} bare {@code true} processes, the floor any runner pays. */
    private static long bareProcesses(Path dir) throws Exception {
        long start = System.nanoTime();
        for (int i = 0; i < STEPS; i++) {
            new ProcessBuilder("true").directory(dir.toFile()).start().waitFor();
        }
        return System.nanoTime() - start;
    }

    private static void check(PipelineRunRecord r) {
        if (r.status() != PipelineStatus.SUCCEEDED) {
            throw new IllegalStateException(
                    "benchmark pipeline failed: " + r.message().orElse(""));
        }
    }

    private static double millis(long nanos) {
        return nanos / 1_000_000.0;
    }

    private static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted.get(sorted.size() / 2);
    }
}
