package dev.cairn.pipelines.execution;

import dev.cairn.pipelines.Pipeline;
import dev.cairn.pipelines.Step;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Orders of a pipeline's steps; the spec is validated acyclic. */
final class Dag {
    private Dag() {}

    /** Steps so that each comes after all it depends on; ties keep spec order. */
    static List<String> topologicalOrder(Pipeline pipeline) {
        Map<String, Integer> waiting = new HashMap<>();
        pipeline.steps()
                .values()
                .forEach(s -> waiting.put(s.name(), s.upstream().size()));
        List<String> order = new ArrayList<>();
        while (order.size() < pipeline.steps().size()) {
            boolean progressed = false;
            for (Step step : pipeline.steps().values()) {
                if (waiting.get(step.name()) == 0) {
                    waiting.put(step.name(), -1);
                    order.add(step.name());
                    pipeline.steps().values().stream()
                            .filter(s -> s.upstream().contains(step.name()))
                            .forEach(s -> waiting.merge(s.name(), -1, Integer::sum));
                    progressed = true;
                    break;
                }
            }
            if (!progressed) {
                throw new IllegalStateException("pipeline '" + pipeline.name() + "' has a cycle");
            }
        }
        return order;
    }
}
