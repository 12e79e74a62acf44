package dev.cairn.lineage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.core.CairnException;
import dev.cairn.store.Database;
import dev.cairn.store.TestDatabases;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class LineageStoreTest {
    private static final String DATA = LineageUri.dataset("flights", 3);
    private static final String RUN = LineageUri.run("r1");
    private static final String MODEL_FILE = LineageUri.artifact("r1", "model");
    private static final String MODEL = LineageUri.model("delays", 1);
    private static final String DEPLOYMENT = LineageUri.deployment("delays");
    private static final String REQUEST = LineageUri.request("req-42");

    /** A served prediction's whole history: data, run, artifact, model version, deployment, request. */
    private static List<LineageEdge> chain() {
        return List.of(
                LineageEdge.of(DATA, EdgeType.CONSUMED, RUN),
                LineageEdge.of(RUN, EdgeType.PRODUCED, MODEL_FILE),
                LineageEdge.of(MODEL_FILE, EdgeType.REGISTERED_AS, MODEL),
                LineageEdge.of(MODEL, EdgeType.DEPLOYED_AS, DEPLOYMENT),
                LineageEdge.of(MODEL, EdgeType.PRODUCED, REQUEST),
                LineageEdge.of(DEPLOYMENT, EdgeType.PRODUCED, REQUEST));
    }

    @ParameterizedTest
    @EnumSource(TestDatabases.Kind.class)
    void aRequestReachesTheModelRunAndDatasetVersionUpstream(TestDatabases.Kind kind) {
        try (Database db = kind.open()) {
            LineageStore lineage = LineageStore.of(db);
            assertThat(lineage.record(chain())).isEqualTo(6);

            LineageGraph graph = lineage.traverse(REQUEST, Direction.UP, 10);

            assertThat(graph.nodes())
                    .extracting(LineageNode::uri)
                    .containsExactlyInAnyOrder(REQUEST, MODEL, DEPLOYMENT, MODEL_FILE, RUN, DATA);
            assertThat(graph.nodes()).contains(new LineageNode(DATA, LineageUri.Kind.DATASET, 4));
            assertThat(graph.edges()).hasSize(6);
            assertThat(graph.renderTree())
                    .contains("`-- consumed <- cairn-dataset:/flights/3")
                    .contains("(already shown)");
        }
    }

    @ParameterizedTest
    @EnumSource(TestDatabases.Kind.class)
    void recordingTheSameEdgesAgainAddsNothingAndKeepsTheFirstAttributes(TestDatabases.Kind kind) {
        try (Database db = kind.open()) {
            LineageStore lineage = LineageStore.of(db);
            LineageEdge first =
                    new LineageEdge(DATA, RUN, EdgeType.CONSUMED, Instant.ofEpochMilli(1000), Map.of("a", "1"));
            assertThat(lineage.record(List.of(first))).isEqualTo(1);
            assertThat(lineage.record(List.of(first.withAttributes(Map.of("a", "2")), first)))
                    .isZero();

            LineageGraph graph = lineage.traverse(RUN, Direction.UP, 1);
            assertThat(graph.edges()).containsExactly(first);
        }
    }

    @ParameterizedTest
    @EnumSource(TestDatabases.Kind.class)
    void theDepthLimitStopsTheWalk(TestDatabases.Kind kind) {
        try (Database db = kind.open()) {
            LineageStore lineage = LineageStore.of(db);
            lineage.record(chain());

            LineageGraph down = lineage.traverse(DATA, Direction.DOWN, 2);

            assertThat(down.nodes()).extracting(LineageNode::uri).containsExactlyInAnyOrder(DATA, RUN, MODEL_FILE);
            assertThat(down.edges()).hasSize(2);
        }
    }

    @ParameterizedTest
    @EnumSource(TestDatabases.Kind.class)
    void aCycleEndsAtTheDepthLimit(TestDatabases.Kind kind) {
        try (Database db = kind.open()) {
            LineageStore lineage = LineageStore.of(db);
            String r1 = LineageUri.run("a");
            String r2 = LineageUri.run("b");
            String m = LineageUri.monitor("drift");
            lineage.record(List.of(
                    LineageEdge.of(r1, EdgeType.TRIGGERED_BY, m),
                    LineageEdge.of(m, EdgeType.TRIGGERED_BY, r2),
                    LineageEdge.of(r2, EdgeType.TRIGGERED_BY, r1)));

            LineageGraph both = lineage.traverse(r1, Direction.BOTH, LineageStore.MAX_DEPTH);

            assertThat(both.nodes()).extracting(LineageNode::uri).containsExactlyInAnyOrder(r1, r2, m);
            assertThat(both.edges()).hasSize(3);
            assertThat(both.nodes()).contains(new LineageNode(m, LineageUri.Kind.MONITOR, 1));
        }
    }

    @ParameterizedTest
    @EnumSource(TestDatabases.Kind.class)
    void anUnknownNodeHasOnlyItself(TestDatabases.Kind kind) {
        try (Database db = kind.open()) {
            LineageGraph graph = LineageStore.of(db).traverse(RUN, Direction.BOTH, 3);
            assertThat(graph.nodes()).containsExactly(new LineageNode(RUN, LineageUri.Kind.RUN, 0));
            assertThat(graph.renderTree()).contains("(no upstream lineage)").contains("(no downstream lineage)");
        }
    }

    @ParameterizedTest
    @EnumSource(TestDatabases.Kind.class)
    void badArgumentsNameTheValue(TestDatabases.Kind kind) {
        try (Database db = kind.open()) {
            LineageStore lineage = LineageStore.of(db);
            assertThatThrownBy(() -> lineage.traverse("http://x/y", Direction.UP, 3))
                    .isInstanceOf(CairnException.class)
                    .hasMessageContaining("'http://x/y'");
            assertThatThrownBy(() -> lineage.traverse(RUN, Direction.UP, 0))
                    .isInstanceOf(CairnException.class)
                    .hasMessageContaining("got 0");
            assertThatThrownBy(() -> Direction.parse("sideways")).hasMessageContaining("'sideways'");
            assertThatThrownBy(() -> EdgeType.fromWireName("made")).hasMessageContaining("'made'");
        }
    }
}
