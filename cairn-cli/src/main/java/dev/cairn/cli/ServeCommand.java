package dev.cairn.cli;

import dev.cairn.core.CairnException;
import dev.cairn.server.ServerConfig;
import dev.cairn.serving.ModelInfo;
import dev.cairn.serving.ServingConfig;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code cairn serve MODEL}: serves one model package over Open Inference Protocol v2 and MLflow scoring. */
@Command(
        name = "serve",
        mixinStandardHelpOptions = true,
        description = "Serve a model package (a directory with cairn-model.json) over /v2 (Open Inference Protocol)"
                + " and /invocations (MLflow scoring) until Ctrl-C or SIGTERM.")
final class ServeCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Parameters(
            index = "0",
            paramLabel = "MODEL",
            description = "A model package directory (runs:/ and models:/ URIs need the registry).")
    private String model;

    @Option(names = "--name", description = "The model name in URLs (default: the directory name).")
    private String name;

    @Option(
            names = "--model-version",
            defaultValue = "1",
            description = "The version it serves as (default: ${DEFAULT-VALUE}).")
    private String version;

    @Option(
            names = "--host",
            defaultValue = ServerConfig.DEFAULT_HOST,
            description = "Interface to bind (default: ${DEFAULT-VALUE}).")
    private String host;

    @Option(
            names = "--port",
            defaultValue = "8080",
            description = "TCP port, 0 for any free one (default: ${DEFAULT-VALUE}).")
    private int port;

    @Option(
            names = "--home",
            paramLabel = "DIR",
            description = "Cairn home holding the inference log database (default: $CAIRN_HOME, else ~/.cairn).")
    private Path home;

    @Option(
            names = "--batching",
            defaultValue = "AUTO",
            description =
                    "Micro-batching: OFF, AUTO (where the runtime gains from it) or ALWAYS (default: ${DEFAULT-VALUE}).")
    private ServingConfig.Batching batching;

    @Override
    public Integer call() {
        Path directory = packageDirectory(model);
        String modelName = name != null ? name : directory.getFileName().toString();
        ServerConfig.Builder config = ServerConfig.builder().host(host).port(port);
        if (home != null) {
            config.home(home.toAbsolutePath());
        }
        ForegroundServer server = ForegroundServer.start(config.build());
        ModelInfo info;
        try {
            info = server.server().inference().load(modelName, version, directory, batching);
        } catch (RuntimeException e) {
            server.server().close();
            throw e;
        }
        PrintWriter out = spec.commandLine().getOut();
        out.println("Serving " + info.name() + " version " + info.version() + " (" + info.flavor() + ", sha256 "
                + info.contentHash().substring(0, 12) + ") on " + server.url());
        out.println("  POST " + server.url() + "/v2/models/" + info.name() + "/infer");
        out.println("  POST " + server.url() + "/invocations");
        out.println("Press Ctrl-C to stop.");
        out.flush();
        server.serveUntilStopped(out);
        return 0;
    }

    static Path packageDirectory(String model) {
        if (model.startsWith("runs:/") || model.startsWith("models:/")) {
            throw CairnException.invalid("MODEL '" + model + "': runs:/ and models:/ URIs are resolved by the model"
                    + " registry; pass a model package directory");
        }
        Path directory = Path.of(model).toAbsolutePath().normalize();
        if (!Files.isDirectory(directory)) {
            throw CairnException.notFound("MODEL '" + model + "': no such directory");
        }
        return directory;
    }
}
