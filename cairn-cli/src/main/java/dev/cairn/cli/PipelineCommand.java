package dev.cairn.cli;

import dev.cairn.core.CairnException;
import dev.cairn.pipelines.Pipeline;
import dev.cairn.pipelines.execution.PipelineRunRecord;
import dev.cairn.pipelines.execution.PipelineStatus;
import dev.cairn.pipelines.execution.RunOptions;
import dev.cairn.pipelines.execution.StepExplanation;
import dev.cairn.pipelines.execution.StepListener;
import dev.cairn.pipelines.execution.StepRunRecord;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code cairn pipeline run|status|logs|cancel|resume|explain}: pipelines executed on this machine. */
@Command(
        name = "pipeline",
        mixinStandardHelpOptions = true,
        description = "Run pipelines defined in a cairn.yaml, with a content-addressed step cache.",
        subcommands = {
            PipelineCommand.RunCommand.class,
            PipelineCommand.StatusCommand.class,
            PipelineCommand.LogsCommand.class,
            PipelineCommand.CancelCommand.class,
            PipelineCommand.ResumeCommand.class,
            PipelineCommand.ExplainCommand.class
        })
final class PipelineCommand implements Runnable {
    @Spec
    private CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** Options that name the spec and its parameters. */
    static final class SpecOptions {
        @Option(
                names = {"-f", "--file"},
                defaultValue = "cairn.yaml",
                paramLabel = "FILE",
                description = "Pipeline spec (default: ${DEFAULT-VALUE}).")
        Path file;

        @Option(
                names = {"-p", "--param"},
                paramLabel = "KEY=VALUE",
                description = "Set a parameter (repeatable).")
        Map<String, String> params = new LinkedHashMap<>();
    }

    /** Common behaviour: spec errors print whole (with every line and column), exit code 1. */
    abstract static class Base implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        PipelineWorkspace workspace;

        PrintWriter out() {
            return spec.commandLine().getOut();
        }

        @Override
        public Integer call() {
            try {
                return execute();
            } catch (CairnException e) {
                spec.commandLine().getErr().println("cairn: " + e.getMessage());
                spec.commandLine().getErr().flush();
                return 1;
            }
        }

        abstract int execute();

        StepListener progress() {
            return (runId, step) -> {
                out().println("  " + stepLine(step));
                out().flush();
            };
        }
    }

    @Command(
            name = "run",
            mixinStandardHelpOptions = true,
            description = "Run a pipeline; unchanged steps come from the cache.")
    static final class RunCommand extends Base {
        @Mixin
        SpecOptions specOptions;

        @Option(names = "--force", description = "Run every step, even those the cache has.")
        boolean force;

        @Option(names = "--no-cache", description = "Neither read nor write the step cache.")
        boolean noCache;

        @Override
        int execute() {
            Pipeline pipeline = Pipeline.load(specOptions.file);
            out().println("pipeline " + pipeline.name() + ": "
                    + pipeline.steps().size() + " steps");
            try (PipelineWorkspace.Opened opened = workspace.open(progress())) {
                RunOptions options =
                        RunOptions.withParams(specOptions.params).force(force).noCache(noCache);
                return summary(out(), opened.engine().run(pipeline, options));
            }
        }
    }

    @Command(
            name = "resume",
            mixinStandardHelpOptions = true,
            description = "Resume a failed, cancelled or killed run: successful steps are kept, the rest run again.")
    static final class ResumeCommand extends Base {
        @Parameters(paramLabel = "ID", description = "Pipeline run id.")
        String id;

        @Override
        int execute() {
            try (PipelineWorkspace.Opened opened = workspace.open(progress())) {
                out().println("resuming pipeline run " + id);
                return summary(out(), opened.engine().resume(id));
            }
        }
    }

    @Command(
            name = "status",
            mixinStandardHelpOptions = true,
            description = "Show recent pipeline runs, or one run's steps.")
    static final class StatusCommand extends Base {
        @Parameters(paramLabel = "ID", arity = "0..1", description = "Pipeline run id (default: list recent runs).")
        String id;

        @Option(names = "--max", defaultValue = "20", description = "Most runs to list (default: ${DEFAULT-VALUE}).")
        int max;

        @Override
        int execute() {
            try (PipelineWorkspace.Opened opened = workspace.open(StepListener.NONE)) {
                if (id == null) {
                    Table table = new Table("ID", "PIPELINE", "STATUS", "STARTED", "DURATION", "FAILED STEP");
                    for (PipelineRunRecord r : opened.engine().recent(Optional.empty(), max)) {
                        table.row(
                                r.id(),
                                r.pipelineName(),
                                statusText(opened, r),
                                Table.time(r.startTime()),
                                Table.duration(r.startTime(), r.endTime().orElse(0)),
                                r.failedStep().orElse(""));
                    }
                    table.print(out());
                    return 0;
                }
                PipelineRunRecord r = opened.engine().status(id);
                out().println("pipeline " + r.pipelineName() + "  run " + r.id() + "  " + statusText(opened, r));
                r.message().ifPresent(m -> out().println("  " + m));
                Table table = new Table("STEP", "STATUS", "CACHE", "ATTEMPTS", "DURATION", "MESSAGE");
                r.steps()
                        .forEach(s -> table.row(
                                s.step(),
                                s.status(),
                                s.cacheStatus().map(Enum::name).orElse(""),
                                s.attempts(),
                                Table.duration(
                                        s.startTime().orElse(0), s.endTime().orElse(0)),
                                s.message().orElse("")));
                table.print(out());
                return 0;
            }
        }

        private static String statusText(PipelineWorkspace.Opened opened, PipelineRunRecord r) {
            return opened.engine().interrupted(r)
                    ? "INTERRUPTED (resume it)"
                    : r.status().name();
        }
    }

    @Command(
            name = "logs",
            mixinStandardHelpOptions = true,
            description = "Print the stdout and stderr of a run's steps.")
    static final class LogsCommand extends Base {
        @Parameters(paramLabel = "ID", description = "Pipeline run id.")
        String id;

        @Option(names = "--step", paramLabel = "STEP", description = "Only this step (default: all steps).")
        String step;

        @Override
        int execute() {
            try (PipelineWorkspace.Opened opened = workspace.open(StepListener.NONE)) {
                PipelineRunRecord r = opened.engine().status(id);
                List<String> steps = step == null
                        ? r.steps().stream().map(StepRunRecord::step).toList()
                        : List.of(r.step(step).step());
                for (String s : steps) {
                    String stdout = opened.engine().log(id, s, false);
                    String stderr = opened.engine().log(id, s, true);
                    out().println("==> " + s + " stdout <==");
                    out().print(stdout);
                    if (!stderr.isEmpty()) {
                        out().println("==> " + s + " stderr <==");
                        out().print(stderr);
                    }
                }
                out().flush();
                return 0;
            }
        }
    }

    @Command(name = "cancel", mixinStandardHelpOptions = true, description = "Cancel a running pipeline run.")
    static final class CancelCommand extends Base {
        @Parameters(paramLabel = "ID", description = "Pipeline run id.")
        String id;

        @Override
        int execute() {
            try (PipelineWorkspace.Opened opened = workspace.open(StepListener.NONE)) {
                PipelineRunRecord r = opened.engine().cancel(id);
                out().println("pipeline run " + id + ": "
                        + (r.status() == PipelineStatus.RUNNING
                                ? "cancellation requested; its process stops its steps shortly"
                                : r.status().name()));
                return 0;
            }
        }
    }

    @Command(
            name = "explain",
            mixinStandardHelpOptions = true,
            description = "Say for each step whether the next run takes it from the cache, and why.")
    static final class ExplainCommand extends Base {
        @Mixin
        SpecOptions specOptions;

        @Override
        int execute() {
            Pipeline pipeline = Pipeline.load(specOptions.file);
            try (PipelineWorkspace.Opened opened = workspace.open(StepListener.NONE)) {
                Table table = new Table("STEP", "CACHE", "WHY");
                for (StepExplanation e : opened.engine().explain(pipeline, specOptions.params)) {
                    table.row(e.step(), e.verdict(), String.join("; ", e.reasons()));
                }
                table.print(out());
                return 0;
            }
        }
    }

    static String stepLine(StepRunRecord s) {
        String cache = s.cacheStatus()
                .map(c -> " [cache " + c.name().toLowerCase(Locale.ROOT) + "]")
                .orElse("");
        String time = Table.duration(s.startTime().orElse(0), s.endTime().orElse(0));
        return String.format(
                "%-20s %-10s %6s%s%s",
                s.step(),
                s.status(),
                time,
                cache,
                s.message().map(m -> "  " + m).orElse(""));
    }

    static int summary(PrintWriter out, PipelineRunRecord r) {
        out.println("pipeline run " + r.id() + " " + r.status() + " in "
                + Table.duration(r.startTime(), r.endTime().orElse(0)));
        r.message().ifPresent(m -> out.println("  " + m));
        if (r.status() != PipelineStatus.SUCCEEDED) {
            out.println("  logs:   cairn pipeline logs " + r.id()
                    + r.failedStep().map(s -> " --step " + s).orElse(""));
            out.println("  resume: cairn pipeline resume " + r.id());
        }
        out.flush();
        return r.status() == PipelineStatus.SUCCEEDED ? 0 : 1;
    }
}
