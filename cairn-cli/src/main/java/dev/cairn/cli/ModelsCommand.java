package dev.cairn.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cairn.core.CairnException;
import dev.cairn.core.ErrorCode;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.StringJoiner;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code cairn models list|show|register|alias|versions|card}: the model registry, through its MLflow
 * REST API, and model cards through {@code /api/v1/model-cards}.
 */
@Command(
        name = "models",
        mixinStandardHelpOptions = true,
        description = "List, show and register models, and point aliases at versions.")
final class ModelsCommand {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String API = "/api/2.0/mlflow/";

    @Spec
    private CommandSpec spec;

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List registered models.")
    int list(
            @Option(
                            names = "--filter",
                            defaultValue = "",
                            description = "MLflow filter, e.g. \"name LIKE '%flights%'\".")
                    String filter,
            @Option(names = "--json", description = "Print JSON instead of a table.") boolean json) {
        JsonNode answer = call("GET", API + "registered-models/search?max_results=1000&filter=" + encode(filter), null);
        if (json) {
            out().println(answer.path("registered_models").toPrettyString());
            return 0;
        }
        Table table = new Table("NAME", "LATEST", "ALIASES", "UPDATED", "DESCRIPTION");
        answer.path("registered_models")
                .forEach(m -> table.row(
                        m.path("name").asText(),
                        latest(m),
                        aliases(m),
                        Table.time(m.path("last_updated_timestamp").asLong()),
                        m.path("description").asText()));
        table.print(out());
        return 0;
    }

    @Command(name = "show", mixinStandardHelpOptions = true, description = "Show a registered model.")
    int show(
            @Parameters(paramLabel = "NAME", description = "Registered model name.") String name,
            @Option(names = "--json", description = "Print JSON.") boolean json) {
        JsonNode model = call("GET", API + "registered-models/get?name=" + encode(name), null)
                .path("registered_model");
        if (json) {
            out().println(model.toPrettyString());
            return 0;
        }
        PrintWriter out = out();
        out.println("name:        " + model.path("name").asText());
        out.println("description: " + model.path("description").asText());
        out.println(
                "created:     " + Table.time(model.path("creation_timestamp").asLong()));
        out.println("updated:     "
                + Table.time(model.path("last_updated_timestamp").asLong()));
        out.println("latest:      " + latest(model));
        out.println("aliases:     " + aliases(model));
        model.path("tags")
                .forEach(t -> out.println("tag:         " + t.path("key").asText() + "="
                        + t.path("value").asText()));
        return 0;
    }

    @Command(
            name = "register",
            mixinStandardHelpOptions = true,
            description = "Register a run's model artifact as a new version (creating the model when absent).")
    int register(
            @Parameters(paramLabel = "NAME", description = "Registered model name.") String name,
            @Parameters(paramLabel = "SOURCE", description = "runs:/<run_id>/<path> of a stored artifact.")
                    String source,
            @Option(names = "--description", defaultValue = "", description = "Version description.")
                    String description) {
        if (!exists(name)) {
            call(
                    "POST",
                    API + "registered-models/create",
                    JSON.createObjectNode().put("name", name));
        }
        ObjectNode body =
                JSON.createObjectNode().put("name", name).put("source", source).put("description", description);
        JsonNode version = call("POST", API + "model-versions/create", body).path("model_version");
        out().println("Registered " + name + " version "
                + version.path("version").asText() + " from " + source);
        return 0;
    }

    @Command(
            name = "alias",
            mixinStandardHelpOptions = true,
            description = "Point ALIAS of model NAME at VERSION, or delete it with --delete.")
    int alias(
            @Parameters(index = "0", paramLabel = "NAME", description = "Registered model name.") String name,
            @Parameters(index = "1", paramLabel = "ALIAS", description = "Alias, e.g. champion.") String alias,
            @Parameters(index = "2", arity = "0..1", paramLabel = "VERSION", description = "Version number.")
                    String version,
            @Option(names = "--delete", description = "Delete the alias.") boolean delete) {
        ObjectNode body = JSON.createObjectNode().put("name", name).put("alias", alias);
        if (delete) {
            call("DELETE", API + "registered-models/alias", body);
            out().println("Deleted alias " + name + "@" + alias);
            return 0;
        }
        CairnException.requireArgument(version != null, "VERSION is required unless --delete is given");
        call("POST", API + "registered-models/alias", body.put("version", version));
        out().println("models:/" + name + "@" + alias + " -> version " + version);
        return 0;
    }

    @Command(name = "versions", mixinStandardHelpOptions = true, description = "List the versions of a model.")
    int versions(
            @Parameters(paramLabel = "NAME", description = "Registered model name.") String name,
            @Option(names = "--json", description = "Print JSON instead of a table.") boolean json) {
        String filter = "name = '" + name.replace("'", "''") + "'";
        JsonNode answer = call("GET", API + "model-versions/search?max_results=10000&filter=" + encode(filter), null);
        if (json) {
            out().println(answer.path("model_versions").toPrettyString());
            return 0;
        }
        Table table = new Table("VERSION", "STAGE", "ALIASES", "RUN", "CREATED", "SOURCE");
        answer.path("model_versions")
                .forEach(v -> table.row(
                        v.path("version").asText(),
                        v.path("current_stage").asText(),
                        join(v.path("aliases")),
                        v.path("run_id").asText(),
                        Table.time(v.path("creation_timestamp").asLong()),
                        v.path("source").asText()));
        table.print(out());
        return 0;
    }

    @Command(
            name = "card",
            mixinStandardHelpOptions = true,
            description = "Render the model card of a version from its recorded facts: lineage, run, evaluation,"
                    + " deployments and monitors.")
    int card(
            @Parameters(paramLabel = "MODEL_URI", description = "models:/<name>/<version> or models:/<name>@<alias>.")
                    String uri,
            @Option(
                            names = "--format",
                            defaultValue = "markdown",
                            description = "markdown (default) or html (one self-contained page).")
                    String format,
            @Option(names = "--output", description = "Write the card to this file instead of printing it.")
                    Path output)
            throws IOException {
        String[] version = version(uri);
        String text = new RestCalls(CairnCommand.of(spec).trackingUri(), Map.of())
                .text("/api/v1/model-cards/" + pathSegment(version[0]) + "/" + pathSegment(version[1]) + "?format="
                        + encode(format));
        if (output == null) {
            out().print(text);
            out().flush();
            return 0;
        }
        Files.writeString(output, text, StandardCharsets.UTF_8);
        out().println("Wrote the model card of " + version[0] + " version " + version[1] + " to " + output);
        return 0;
    }

    /** The name and version a {@code models:/} URI names, asking the registry what an alias points at. */
    private String[] version(String uri) {
        CairnException.requireArgument(
                uri.startsWith("models:/"),
                "MODEL_URI must be models:/<name>/<version> or models:/<name>@<alias>; got '" + uri + "'");
        String rest = uri.substring("models:/".length());
        int slash = rest.lastIndexOf('/');
        int at = rest.lastIndexOf('@');
        if (slash > 0 && slash < rest.length() - 1 && at < 0) {
            return new String[] {rest.substring(0, slash), rest.substring(slash + 1)};
        }
        CairnException.requireArgument(
                at > 0 && at < rest.length() - 1 && slash < 0,
                "MODEL_URI must be models:/<name>/<version> or models:/<name>@<alias>; got '" + uri + "'");
        String name = rest.substring(0, at);
        JsonNode found = call(
                "GET",
                API + "registered-models/alias?name=" + encode(name) + "&alias=" + encode(rest.substring(at + 1)),
                null);
        return new String[] {name, found.path("model_version").path("version").asText()};
    }

    /** A path segment percent-encoded (URLEncoder writes spaces as '+', which a path keeps literally). */
    private static String pathSegment(String value) {
        return encode(value).replace("+", "%20");
    }

    private boolean exists(String name) {
        try {
            call("GET", API + "registered-models/get?name=" + encode(name), null);
            return true;
        } catch (CairnException e) {
            if (e.code() == ErrorCode.RESOURCE_DOES_NOT_EXIST) {
                return false;
            }
            throw e;
        }
    }

    private static String latest(JsonNode model) {
        StringJoiner text = new StringJoiner(" ");
        model.path("latest_versions")
                .forEach(v -> text.add(v.path("current_stage").asText() + "="
                        + v.path("version").asText()));
        return text.toString();
    }

    private static String aliases(JsonNode model) {
        StringJoiner text = new StringJoiner(" ");
        model.path("aliases")
                .forEach(a -> text.add(
                        a.path("alias").asText() + "=" + a.path("version").asText()));
        return text.toString();
    }

    private static String join(JsonNode values) {
        StringJoiner text = new StringJoiner(" ");
        values.forEach(v -> text.add(v.asText()));
        return text.toString();
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private JsonNode call(String method, String path, JsonNode body) {
        return new RestCalls(CairnCommand.of(spec).trackingUri(), Map.of()).call(method, path, body);
    }

    private PrintWriter out() {
        return spec.commandLine().getOut();
    }
}
