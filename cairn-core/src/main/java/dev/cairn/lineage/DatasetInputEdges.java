package dev.cairn.lineage;

import dev.cairn.tracking.DatasetInput;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Turns the dataset inputs a run logs (MLflow's {@code log-inputs}) into {@code consumed} edges
 * for those that name a Cairn dataset version ({@code source = cairn-dataset:/<name>/<version>});
 * inputs from other sources stay in the tracking store only.
 */
public final class DatasetInputEdges {
    /** The {@code source_type} Cairn gives to its dataset versions. */
    public static final String SOURCE_TYPE = "cairn";

    private DatasetInputEdges() {}

    public static List<LineageEdge> consumedBy(String runId, List<DatasetInput> inputs) {
        String run = LineageUri.run(runId);
        List<LineageEdge> edges = new ArrayList<>();
        for (DatasetInput input : inputs) {
            String source = input.dataset().source();
            if (isCairnDataset(source)) {
                edges.add(new LineageEdge(
                        source,
                        run,
                        EdgeType.CONSUMED,
                        Instant.now(),
                        Map.of(
                                "digest",
                                input.dataset().digest(),
                                "name",
                                input.dataset().name())));
            }
        }
        return edges;
    }

    private static boolean isCairnDataset(String source) {
        if (!source.startsWith("cairn-dataset:/")) {
            return false;
        }
        String[] parts = source.substring("cairn-dataset:/".length()).split("/", -1);
        return parts.length == 2 && !parts[0].isBlank() && parts[1].matches("[1-9][0-9]{0,9}");
    }
}
