package dev.cairn.cli;

import dev.cairn.client.Cairn;
import dev.cairn.client.ExperimentInfo;
import dev.cairn.client.ViewType;
import java.io.PrintWriter;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code cairn experiments list|create|delete}: experiments on the tracking server. */
@Command(
        name = "experiments",
        mixinStandardHelpOptions = true,
        description = "List, create and delete experiments on the tracking server.")
final class ExperimentsCommand {
    @Spec
    private CommandSpec spec;

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List experiments.")
    int list(
            @Option(
                            names = "--view",
                            paramLabel = "VIEW",
                            defaultValue = "ACTIVE_ONLY",
                            description = "ACTIVE_ONLY, DELETED_ONLY or ALL (default: ${DEFAULT-VALUE}).")
                    ViewType view,
            @Option(names = "--json", description = "Print JSON instead of a table.") boolean json) {
        try (Cairn cairn = CairnCommand.of(spec).connect()) {
            List<ExperimentInfo> experiments = cairn.experiments().list(view);
            PrintWriter out = out();
            if (json) {
                JsonOutput.print(out, experiments);
                return 0;
            }
            Table table = new Table("ID", "NAME", "STAGE", "CREATED", "ARTIFACT LOCATION");
            experiments.forEach(e -> table.row(
                    e.experimentId(),
                    e.name(),
                    e.lifecycleStage(),
                    Table.time(e.creationTime()),
                    e.artifactLocation()));
            table.print(out);
            return 0;
        }
    }

    @Command(name = "create", mixinStandardHelpOptions = true, description = "Create an experiment and print its id.")
    int create(@Parameters(paramLabel = "NAME", description = "Name of the new experiment.") String name) {
        try (Cairn cairn = CairnCommand.of(spec).connect()) {
            ExperimentInfo created = cairn.experiments().create(name);
            out().println("Created experiment '" + created.name() + "' with id " + created.experimentId());
            return 0;
        }
    }

    @Command(
            name = "delete",
            mixinStandardHelpOptions = true,
            description = "Delete an experiment and its runs (restorable).")
    int delete(@Parameters(paramLabel = "NAME_OR_ID", description = "Experiment name, or id.") String nameOrId) {
        try (Cairn cairn = CairnCommand.of(spec).connect()) {
            ExperimentInfo experiment = cairn.experiments().resolve(nameOrId);
            cairn.experiments().delete(experiment.experimentId());
            out().println("Deleted experiment '" + experiment.name() + "' (id " + experiment.experimentId() + ")");
            return 0;
        }
    }

    private PrintWriter out() {
        return spec.commandLine().getOut();
    }
}
