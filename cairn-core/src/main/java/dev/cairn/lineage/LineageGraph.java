package dev.cairn.lineage;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/** The part of the lineage graph reached from {@code root}: its nodes (with their distance) and edges. */
public record LineageGraph(
        String root, Direction direction, int depth, List<LineageNode> nodes, List<LineageEdge> edges) {
    public LineageGraph {
        nodes = List.copyOf(nodes);
        edges = List.copyOf(edges);
    }

    /**
     * Renders the graph as an indented tree from the root, upstream and downstream parts apart. A
     * node reached again (a diamond or a cycle) is printed once more without its subtree.
     */
    public String renderTree() {
        StringBuilder out = new StringBuilder(root).append('\n');
        if (direction != Direction.DOWN) {
            renderSide(out, "upstream", true);
        }
        if (direction != Direction.UP) {
            renderSide(out, "downstream", false);
        }
        return out.toString();
    }

    private void renderSide(StringBuilder out, String title, boolean up) {
        Function<LineageEdge, String> near = up ? LineageEdge::target : LineageEdge::source;
        Map<String, List<LineageEdge>> byNear = edges.stream().collect(Collectors.groupingBy(near));
        if (!byNear.containsKey(root)) {
            out.append("  (no ").append(title).append(" lineage)\n");
            return;
        }
        out.append("  ").append(title).append(":\n");
        renderChildren(out, root, "  ", up, byNear, new HashSet<>(Set.of(root)));
    }

    private static void renderChildren(
            StringBuilder out,
            String node,
            String indent,
            boolean up,
            Map<String, List<LineageEdge>> byNear,
            Set<String> printed) {
        List<LineageEdge> children = new ArrayList<>(byNear.getOrDefault(node, List.of()));
        for (int i = 0; i < children.size(); i++) {
            LineageEdge edge = children.get(i);
            boolean last = i == children.size() - 1;
            String far = up ? edge.source() : edge.target();
            String arrow = up ? " <- " : " -> ";
            out.append(indent)
                    .append(last ? "`-- " : "|-- ")
                    .append(edge.type().wireName())
                    .append(arrow)
                    .append(far);
            if (!printed.add(far)) {
                out.append(" (already shown)\n");
                continue;
            }
            out.append('\n');
            renderChildren(out, far, indent + (last ? "    " : "|   "), up, byNear, printed);
        }
    }
}
