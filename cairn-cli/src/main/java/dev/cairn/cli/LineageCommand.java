package dev.cairn.cli;

import dev.cairn.lineage.Direction;
import dev.cairn.lineage.LineageGraph;
import dev.cairn.lineage.LineageStore;
import dev.cairn.store.Database;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code cairn lineage URI [--up|--down] [--depth N]}: the lineage graph around a node, as a tree. */
@Command(
        name = "lineage",
        mixinStandardHelpOptions = true,
        description = "Print what a dataset version, run, artifact, model, deployment, monitor or request"
                + " was made from (--up) and what was made from it (--down).")
final class LineageCommand implements java.util.concurrent.Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Mixin
    private DataCommand.Workspace workspace;

    @Parameters(
            paramLabel = "URI",
            description = "e.g. cairn-dataset:/flights/3, runs:/ID, models:/NAME/1, requests:/ID")
    private String uri;

    @ArgGroup(exclusive = true)
    private Side side;

    static final class Side {
        @Option(names = "--up", description = "Only upstream: what it was made from.")
        boolean up;

        @Option(names = "--down", description = "Only downstream: what was made from it.")
        boolean down;
    }

    @Option(
            names = "--depth",
            defaultValue = "10",
            description = "Most edges away from URI (default: ${DEFAULT-VALUE}).")
    private int depth;

    @Override
    public Integer call() {
        Direction direction = side == null ? Direction.BOTH : side.up ? Direction.UP : Direction.DOWN;
        try (Database db = workspace.openDatabase()) {
            LineageGraph graph = LineageStore.of(db).traverse(uri, direction, depth);
            spec.commandLine().getOut().print(graph.renderTree());
            spec.commandLine().getOut().flush();
            return 0;
        }
    }
}
