package dev.cairn.cli;

import dev.cairn.client.Cairn;
import dev.cairn.client.ExperimentInfo;
import dev.cairn.client.Metric;
import dev.cairn.client.Run;
import dev.cairn.client.RunQuery;
import dev.cairn.client.ViewType;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.function.Function;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code cairn runs list|show|compare|delete}: runs on the tracking server. */
@Command(
        name = "runs",
        mixinStandardHelpOptions = true,
        description = "Search, show, compare and delete runs on the tracking server.")
final class RunsCommand {
    @Spec
    private CommandSpec spec;

    @Command(
            name = "list",
            mixinStandardHelpOptions = true,
            description = "List runs, optionally filtered and ordered in MLflow's search grammar.")
    int list(
            @Option(
                            names = {"-e", "--experiment"},
                            paramLabel = "NAME_OR_ID",
                            description = "Only runs of this experiment (repeatable; default: all experiments).")
                    List<String> experiments,
            @Option(
                            names = {"-f", "--filter"},
                            paramLabel = "FILTER",
                            defaultValue = "",
                            description = "MLflow filter, e.g. \"metrics.acc > 0.9 and params.model = 'tree'\".")
                    String filter,
            @Option(
                            names = {"-o", "--order-by"},
                            paramLabel = "CLAUSE",
                            description = "Ordering, e.g. \"metrics.acc DESC, attributes.start_time\" (repeatable).")
                    List<String> orderBy,
            @Option(
                            names = "--max",
                            paramLabel = "N",
                            defaultValue = "100",
                            description = "Most runs to show (default: ${DEFAULT-VALUE}).")
                    int max,
            @Option(
                            names = {"-p", "--param"},
                            paramLabel = "KEY",
                            description = "Add a column for this param (repeatable).")
                    List<String> params,
            @Option(
                            names = "--view",
                            paramLabel = "VIEW",
                            defaultValue = "ACTIVE_ONLY",
                            description = "ACTIVE_ONLY, DELETED_ONLY or ALL (default: ${DEFAULT-VALUE}).")
                    ViewType view,
            @Option(names = "--json", description = "Print JSON instead of a table.") boolean json) {
        try (Cairn cairn = CairnCommand.of(spec).connect()) {
            RunQuery.Builder query =
                    RunQuery.builder().filter(filter).maxResults(max).viewType(view);
            orEmpty(orderBy).forEach(query::orderBy);
            for (String experiment : orEmpty(experiments)) {
                query.experimentId(resolveExperiment(cairn, experiment).experimentId());
            }
            List<Run> runs = cairn.runs().search(query.build());
            if (json) {
                JsonOutput.print(out(), runs);
            } else {
                runTable(runs, orEmpty(params)).print(out());
            }
            return 0;
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true, description = "Show one run: info, params, metrics, tags.")
    int show(
            @Parameters(paramLabel = "RUN_ID") String runId,
            @Option(names = "--json", description = "Print JSON instead of text.") boolean json) {
        try (Cairn cairn = CairnCommand.of(spec).connect()) {
            Run run = cairn.runs().get(runId);
            if (json) {
                JsonOutput.print(out(), run);
                return 0;
            }
            PrintWriter out = out();
            new Table("FIELD", "VALUE")
                    .row("run_id", run.id())
                    .row("name", run.info().runName())
                    .row("experiment_id", run.info().experimentId())
                    .row("status", run.info().status())
                    .row("started", Table.time(run.info().startTime()))
                    .row("ended", Table.time(run.info().endTime()))
                    .row(
                            "duration",
                            Table.duration(run.info().startTime(), run.info().endTime()))
                    .row("user", run.info().userId())
                    .row("artifact_uri", run.info().artifactUri())
                    .row("parent_run_id", run.parentRunId().orElse(""))
                    .print(out);
            section(out, "PARAM", run.params());
            Table metrics = new Table("METRIC", "LATEST", "STEP");
            run.metrics().values().forEach(m -> metrics.row(m.key(), Table.number(m.value()), m.step()));
            if (!metrics.isEmpty()) {
                out.println();
                metrics.print(out);
            }
            section(out, "TAG", run.tags());
            return 0;
        }
    }

    @Command(
            name = "compare",
            mixinStandardHelpOptions = true,
            description = "Compare runs side by side: params and latest metrics; '*' marks rows that differ.")
    int compare(
            @Parameters(paramLabel = "RUN_ID", arity = "2..*", description = "Two or more run ids.")
                    List<String> runIds,
            @Option(names = "--json", description = "Print JSON instead of a table.") boolean json) {
        try (Cairn cairn = CairnCommand.of(spec).connect()) {
            List<Run> runs = new ArrayList<>();
            runIds.forEach(id -> runs.add(cairn.runs().get(id)));
            if (json) {
                JsonOutput.print(out(), runs);
                return 0;
            }
            List<String> headers = new ArrayList<>(List.of("", "KEY"));
            runs.forEach(run -> headers.add(
                    run.info().runName().isEmpty() ? run.id() : run.info().runName()));
            Table table = new Table(headers);
            compareRow(table, "run_id", runs, Run::id);
            compareRow(table, "status", runs, run -> run.info().status().name());
            for (String key : keys(runs, Run::params)) {
                compareRow(table, "params." + key, runs, run -> run.params().getOrDefault(key, ""));
            }
            for (String key : keys(runs, Run::metrics)) {
                compareRow(
                        table,
                        "metrics." + key,
                        runs,
                        run -> metricValue(run.metrics().get(key)));
            }
            table.print(out());
            return 0;
        }
    }

    @Command(name = "delete", mixinStandardHelpOptions = true, description = "Delete runs (restorable).")
    int delete(@Parameters(paramLabel = "RUN_ID", arity = "1..*") List<String> runIds) {
        try (Cairn cairn = CairnCommand.of(spec).connect()) {
            for (String runId : runIds) {
                cairn.runs().delete(runId);
                out().println("Deleted run " + runId);
            }
            return 0;
        }
    }

    private static Table runTable(List<Run> runs, List<String> params) {
        SortedSet<String> metricKeys = keys(runs, Run::metrics);
        List<String> headers =
                new ArrayList<>(List.of("RUN ID", "NAME", "EXPERIMENT", "STATUS", "STARTED", "DURATION"));
        params.forEach(key -> headers.add("params." + key));
        metricKeys.forEach(key -> headers.add("metrics." + key));
        Table table = new Table(headers);
        for (Run run : runs) {
            List<Object> cells = new ArrayList<>(List.of(
                    run.id(),
                    run.info().runName(),
                    run.info().experimentId(),
                    run.info().status(),
                    Table.time(run.info().startTime()),
                    Table.duration(run.info().startTime(), run.info().endTime())));
            params.forEach(key -> cells.add(run.params().getOrDefault(key, "")));
            metricKeys.forEach(key -> cells.add(metricValue(run.metrics().get(key))));
            table.row(cells);
        }
        return table;
    }

    private static void compareRow(Table table, String key, List<Run> runs, Function<Run, String> value) {
        List<Object> cells = new ArrayList<>();
        List<String> values = runs.stream().map(value).toList();
        cells.add(values.stream().distinct().count() > 1 ? "*" : "");
        cells.add(key);
        cells.addAll(values);
        table.row(cells);
    }

    private static SortedSet<String> keys(List<Run> runs, Function<Run, Map<String, ?>> map) {
        SortedSet<String> keys = new TreeSet<>();
        runs.forEach(run -> keys.addAll(map.apply(run).keySet()));
        return keys;
    }

    private static String metricValue(Metric metric) {
        return metric == null ? "" : Table.number(metric.value());
    }

    private static void section(PrintWriter out, String header, Map<String, String> values) {
        if (values.isEmpty()) {
            return;
        }
        Table table = new Table(header, "VALUE");
        values.forEach(table::row);
        out.println();
        table.print(out);
    }

    private static ExperimentInfo resolveExperiment(Cairn cairn, String nameOrId) {
        return cairn.experiments().resolve(nameOrId);
    }

    private static <T> List<T> orEmpty(List<T> values) {
        return Objects.requireNonNullElse(values, List.of());
    }

    private PrintWriter out() {
        return spec.commandLine().getOut();
    }
}
