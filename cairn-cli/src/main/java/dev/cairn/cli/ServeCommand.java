package dev.cairn.cli;

import dev.cairn.artifacts.ArtifactRepository;
import dev.cairn.artifacts.BlobStore;
import dev.cairn.core.CairnException;
import dev.cairn.deployments.ModelSource;
import dev.cairn.registry.ModelVersion;
import dev.cairn.registry.RegistryStore;
import dev.cairn.server.ServerConfig;
import dev.cairn.serving.ModelInfo;
import dev.cairn.serving.ServingConfig;
import dev.cairn.store.Database;
import dev.cairn.store.StoreUrl;
import dev.cairn.tracking.TrackingStore;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code cairn serve MODEL}: serves one model over Open Inference Protocol v2 and MLflow scoring.
 * MODEL is a package directory, or {@code models:/NAME/VERSION} or {@code models:/NAME@ALIAS}, which
 * is resolved in the registry of the store this command opens itself ({@code --store}, default the
 * SQLite database under the Cairn home) and downloaded once from its artifacts ({@code --artifacts})
 * into {@code deployed-models/} beside them. Reading the store directly needs no running server and
 * no network: SQLite in WAL mode and PostgreSQL both let a running {@code cairn server} share it.
 */
@Command(
        name = "serve",
        mixinStandardHelpOptions = true,
        description = "Serve a model over /v2 (Open Inference Protocol) and /invocations (MLflow scoring) until"
                + " Ctrl-C or SIGTERM. MODEL is a package directory (with cairn-model.json), models:/NAME/VERSION"
                + " or models:/NAME@ALIAS (looked up in the registry of --store, downloaded from --artifacts).")
final class ServeCommand implements Callable<Integer> {
    private static final String MODELS = "models:/";

    @Spec
    private CommandSpec spec;

    @Parameters(
            index = "0",
            paramLabel = "MODEL",
            description = "A model package directory, models:/NAME/VERSION or models:/NAME@ALIAS.")
    private String model;

    @Option(
            names = "--name",
            description = "The model name in URLs (default: the registered name, else the directory name).")
    private String name;

    @Option(
            names = "--model-version",
            description = "The version it serves as (default: the registered version, else 1).")
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
            description = "Cairn home holding the default store and artifacts (default: $CAIRN_HOME, else ~/.cairn).")
    private Path home;

    @Option(
            names = "--store",
            paramLabel = "URL",
            description = "Metadata store with the registry and the inference log: sqlite:///path/cairn.db or"
                    + " postgresql://host/db (default: cairn.db under the Cairn home).")
    private String store;

    @Option(
            names = "--artifacts",
            paramLabel = "DIR",
            description = "Artifact directory models:/ packages are downloaded from (default: artifacts/ under"
                    + " the Cairn home).")
    private Path artifacts;

    @Option(
            names = "--batching",
            defaultValue = "AUTO",
            description =
                    "Micro-batching of concurrent requests (up to one request per core runs at once): OFF, AUTO or ALWAYS"
                            + " (the same; default: ${DEFAULT-VALUE}).")
    private ServingConfig.Batching batching;

    @Mixin
    private InferenceLogOptions log;

    @Override
    public Integer call() {
        ServerConfig config = config();
        Database database = Database.open(StoreUrl.parse(config.storeUrl()));
        Served served;
        try {
            served = resolve(database, config);
        } catch (RuntimeException e) {
            database.close();
            throw e;
        }
        ForegroundServer server = ForegroundServer.start(config, database);
        ModelInfo info;
        try {
            info = server.server().inference().load(served.name(), served.version(), served.directory(), batching);
        } catch (RuntimeException e) {
            server.close();
            throw e;
        }
        PrintWriter out = spec.commandLine().getOut();
        out.println("Serving " + info.name() + " version " + info.version() + " (" + info.flavor() + ", sha256 "
                + info.contentHash().substring(0, 12) + ") on " + server.url());
        out.println("  from " + served.directory());
        out.println("  POST " + server.url() + "/v2/models/" + info.name() + "/infer");
        out.println("  POST " + server.url() + "/invocations");
        out.println("Press Ctrl-C to stop.");
        out.flush();
        server.serveUntilStopped(out);
        return 0;
    }

    private ServerConfig config() {
        ServerConfig.Builder config =
                ServerConfig.builder().host(host).port(port).serving(log.serving());
        if (home != null) {
            config.home(home.toAbsolutePath());
        }
        if (store != null) {
            config.storeUrl(store);
        }
        if (artifacts != null) {
            config.artifactsRoot(artifacts.toAbsolutePath());
        }
        return config.build();
    }

    /** What to load, under which name and version. */
    private record Served(String name, String version, Path directory) {}

    private Served resolve(Database database, ServerConfig config) {
        if (model.startsWith("runs:/")) {
            throw CairnException.invalid("MODEL '" + model + "': register the run's model first (cairn models"
                    + " register NAME " + model + ") and serve models:/NAME/VERSION");
        }
        if (!model.startsWith(MODELS)) {
            Path directory = packageDirectory(model);
            return new Served(
                    name != null ? name : directory.getFileName().toString(),
                    version != null ? version : "1",
                    directory);
        }
        RegistryStore registry = RegistryStore.on(database, TrackingStore.on(database));
        ModelVersion registered = registeredVersion(registry, model);
        String exact = MODELS + registered.name() + "/" + registered.version();
        Path directory = ModelSource.registry(
                        registry,
                        ArtifactRepository.over(database, BlobStore.local(config.artifactsRoot())),
                        config.artifactsRoot().resolveSibling("deployed-models"))
                .resolve(exact);
        return new Served(
                name != null ? name : registered.name(),
                version != null ? version : String.valueOf(registered.version()),
                directory);
    }

    /** The version {@code uri} ({@code models:/NAME/VERSION} or {@code models:/NAME@ALIAS}) names. */
    static ModelVersion registeredVersion(RegistryStore registry, String uri) {
        String rest = uri.substring(MODELS.length());
        int at = rest.indexOf('@');
        if (at > 0 && at < rest.length() - 1) {
            return registry.getModelVersionByAlias(rest.substring(0, at), rest.substring(at + 1));
        }
        String[] parts = rest.split("/");
        if (at >= 0 || parts.length != 2 || parts[0].isEmpty() || parts[1].isEmpty()) {
            throw CairnException.invalid("MODEL '" + uri + "' must be models:/NAME/VERSION or models:/NAME@ALIAS");
        }
        return registry.getModelVersion(parts[0], parts[1]);
    }

    static Path packageDirectory(String model) {
        if (model.startsWith("runs:/") || model.startsWith(MODELS)) {
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
