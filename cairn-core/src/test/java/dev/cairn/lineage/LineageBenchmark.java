package dev.cairn.lineage;

import dev.cairn.store.Database;
import dev.cairn.store.TestDatabases;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * Depth-10 traversals over a lineage graph of 100,000 edges, on SQLite and PostgreSQL. Not a test:
 * run {@code main} (arguments: {@code sqlite}, {@code postgresql} or both) and read the figures.
 *
 * <p>The graph is a retraining history: 10,000 runs, each consuming the previous run's feature
 * dataset and two random earlier ones, producing a new dataset version and a model artifact
 * that is registered as a model version, which then answers requests.
 */
public final class LineageBenchmark {
    static final int RUNS = 10_000;
    static final int EDGES = 100_000;
    static final int DEPTH = 10;

    private LineageBenchmark() {}

    public static void main(String[] args) {
        List<String> kinds = args.length == 0 ? List.of("sqlite", "postgresql") : Arrays.asList(args);
        for (String kind : kinds) {
            TestDatabases.Kind k = TestDatabases.Kind.valueOf(kind.toUpperCase(Locale.ROOT));
            try (Database db = k.open()) {
                run(k, db);
            }
        }
    }

    static List<LineageEdge> graph() {
        Random random = new Random(7);
        Map<String, LineageEdge> edges = new LinkedHashMap<>();
        int request = 0;
        for (int i = 1; i <= RUNS && edges.size() < EDGES; i++) {
            String run = LineageUri.run("r" + i);
            add(edges, LineageUri.dataset("features", i - 1), EdgeType.CONSUMED, run);
            for (int extra = 0; extra < 2 && i > 1; extra++) {
                add(edges, LineageUri.dataset("features", random.nextInt(i - 1)), EdgeType.CONSUMED, run);
            }
            add(edges, run, EdgeType.PRODUCED, LineageUri.dataset("features", i));
            String artifact = LineageUri.artifact("r" + i, "model");
            add(edges, run, EdgeType.PRODUCED, artifact);
            String model = LineageUri.model("delays", i);
            add(edges, artifact, EdgeType.REGISTERED_AS, model);
            add(edges, model, EdgeType.DEPLOYED_AS, LineageUri.deployment("delays"));
            for (int q = 0; q < 3 && edges.size() < EDGES; q++) {
                add(edges, model, EdgeType.PRODUCED, LineageUri.request("q" + request++));
            }
        }
        // Top up with monitor triggers to reach the count exactly.
        for (int m = 0; edges.size() < EDGES; m++) {
            add(edges, LineageUri.monitor("drift-" + m % 50), EdgeType.TRIGGERED_BY, LineageUri.run("r" + (m + 1)));
        }
        return new ArrayList<>(edges.values());
    }

    private static void add(Map<String, LineageEdge> edges, String source, EdgeType type, String target) {
        edges.putIfAbsent(
                source + ' ' + type + ' ' + target,
                new LineageEdge(source, target, type, Instant.parse("2026-01-01T00:00:00Z"), Map.of()));
    }

    private static void run(TestDatabases.Kind kind, Database db) {
        LineageStore lineage = LineageStore.of(db);
        List<LineageEdge> edges = graph();
        long start = System.nanoTime();
        int inserted = lineage.record(edges);
        double loadSeconds = (System.nanoTime() - start) / 1e9;
        long stored = db.jdbi().withHandle(h -> h.createQuery("SELECT COUNT(*) FROM lineage_edges")
                .mapTo(Long.class)
                .one());
        System.out.printf(
                Locale.ROOT, "%s: recorded %d edges (%d stored) in %.2f s%n", kind, inserted, stored, loadSeconds);
        String lastRequest = LineageUri.request("q" + (3 * (RUNS - 1)));
        measure(lineage, kind + " up from a late request", lastRequest, Direction.UP);
        measure(lineage, kind + " down from an early dataset", LineageUri.dataset("features", 20), Direction.DOWN);
        measure(lineage, kind + " both from a middle run", LineageUri.run("r5000"), Direction.BOTH);
    }

    private static void measure(LineageStore lineage, String label, String uri, Direction direction) {
        LineageGraph graph = lineage.traverse(uri, direction, DEPTH);
        for (int i = 0; i < 20; i++) {
            lineage.traverse(uri, direction, DEPTH);
        }
        int rounds = 100;
        long[] nanos = new long[rounds];
        for (int i = 0; i < rounds; i++) {
            long t0 = System.nanoTime();
            lineage.traverse(uri, direction, DEPTH);
            nanos[i] = System.nanoTime() - t0;
        }
        Arrays.sort(nanos);
        System.out.printf(
                Locale.ROOT,
                "  %-45s depth %d: %4d nodes %4d edges  median %.2f ms  p95 %.2f ms  max %.2f ms%n",
                label,
                DEPTH,
                graph.nodes().size(),
                graph.edges().size(),
                nanos[rounds / 2] / 1e6,
                nanos[rounds * 95 / 100] / 1e6,
                nanos[rounds - 1] / 1e6);
    }
}
