package dev.cairn.cli;

import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IParameterExceptionHandler;

/** Entry point of the {@code cairn} command: exit code 0 on success, 1 with a one-line message on error. */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        if (args.length > 0 && "server".equals(args[0])) {
            setUpLoggingMeanwhile();
        }
        System.exit(run(System.out, System.err, args));
    }

    /**
     * Sets logging up on a second thread while this one parses the command line: the server needs
     * both, and on a machine with two cores they take about as long as each other.
     */
    private static void setUpLoggingMeanwhile() {
        Thread thread = new Thread(LoggerFactory::getILoggerFactory, "cairn-logging-setup");
        thread.setDaemon(true);
        thread.start();
    }

    /** Runs the command line in this JVM and returns its exit code instead of exiting. */
    public static int run(PrintStream out, PrintStream err, String... args) {
        CairnCommand root = new CairnCommand();
        CommandLine commandLine = new CommandLine(root);
        CairnCommand.addSubcommands(commandLine, args);
        PrintWriter errWriter = new PrintWriter(new OutputStreamWriter(err, StandardCharsets.UTF_8), true);
        commandLine.setOut(new PrintWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), true));
        commandLine.setErr(errWriter);
        commandLine.setCaseInsensitiveEnumValuesAllowed(true);
        commandLine.setParameterExceptionHandler(usageErrors());
        commandLine.setExecutionExceptionHandler(failures(root));
        int code = commandLine.execute(args);
        commandLine.getOut().flush();
        errWriter.flush();
        return code;
    }

    private static IParameterExceptionHandler usageErrors() {
        return (ex, args) -> {
            CommandLine failed = ex.getCommandLine();
            failed.getErr()
                    .println("cairn: " + firstLine(ex.getMessage()) + " (see '"
                            + failed.getCommandSpec().qualifiedName() + " --help')");
            return 1;
        };
    }

    private static IExecutionExceptionHandler failures(CairnCommand root) {
        return (ex, commandLine, parseResult) -> {
            PrintWriter err = commandLine.getErr();
            err.println("cairn: " + describe(ex));
            if (root.verbose()) {
                ex.printStackTrace(err);
            }
            return 1;
        };
    }

    /** The message a user can act on; the exception's type only when it has no message. */
    static String describe(Throwable ex) {
        String message = ex.getMessage();
        if (message == null || message.isBlank()) {
            return ex.getClass().getSimpleName();
        }
        return firstLine(message);
    }

    private static String firstLine(String text) {
        int newline = text.indexOf('\n');
        return newline < 0 ? text : text.substring(0, newline);
    }
}
