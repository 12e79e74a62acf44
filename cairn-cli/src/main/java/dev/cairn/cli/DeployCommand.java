package dev.cairn.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cairn.core.CairnException;
import java.io.PrintWriter;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code cairn deploy create|list|show|set-traffic|promote|rollback|history}: deployments on the server. */
@Command(
        name = "deploy",
        mixinStandardHelpOptions = true,
        description = "Route an endpoint's traffic across model versions: canary, A/B, shadow;"
                + " promote and roll back, with the history of every change.")
final class DeployCommand {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String BASE = "/api/v1/deployments";

    @Spec
    private CommandSpec spec;

    @Option(
            names = "--user",
            scope = picocli.CommandLine.ScopeType.INHERIT,
            paramLabel = "NAME",
            defaultValue = "${env:CAIRN_USER:-${sys:user.name}}",
            description = "Who makes the change, recorded in the history (default: $CAIRN_USER, else the OS user).")
    private String user;

    /** The routing options shared by create and set-traffic. */
    static final class RoutingOptions {
        @Option(
                names = "--split",
                required = true,
                paramLabel = "VERSION:WEIGHT:MODEL",
                description = "A version taking WEIGHT percent of the traffic, e.g. 2:10:/models/flights-v2 or"
                        + " :10:models:/flights/2 (repeatable; weights sum to 100).")
        List<String> splits;

        @Option(
                names = "--stable",
                paramLabel = "VERSION",
                description = "The version rollbacks return to (default: the heaviest).")
        String stable;

        @Option(
                names = "--shadow",
                paramLabel = "VERSION:PERCENT:MODEL",
                description = "A version mirrored PERCENT of the requests, its answers dropped (repeatable).")
        List<String> shadows;

        @Option(
                names = "--max-error-rate",
                paramLabel = "RATE",
                description = "Canary rollback above this error rate, e.g. 0.05.")
        Double maxErrorRate;

        @Option(names = "--max-p99-ms", paramLabel = "MS", description = "Canary rollback above this p99 latency.")
        Double maxP99Millis;

        @Option(names = "--min-requests", paramLabel = "N", description = "Requests needed before a canary is judged.")
        Integer minRequests;

        @Option(
                names = "--window",
                paramLabel = "SECONDS",
                description = "Judge the canary over this many recent seconds.")
        Long windowSeconds;

        @Option(
                names = "--promote-after",
                paramLabel = "N",
                description = "Promote a passing canary after N requests (0: never).")
        Integer promoteAfter;

        @Option(
                names = "--auto-rollback",
                paramLabel = "true|false",
                description = "Roll a breaching canary back automatically.")
        Boolean autoRollback;

        ObjectNode body() {
            ObjectNode body = JSON.createObjectNode();
            targets(body.putArray("splits"), splits, "--split");
            if (shadows != null) {
                targets(body.putArray("shadows"), shadows, "--shadow");
            }
            if (stable != null) {
                body.put("stable", stable);
            }
            ObjectNode policy = body.putObject("policy");
            putIf(policy, "max_error_rate", maxErrorRate);
            putIf(policy, "max_p99_millis", maxP99Millis);
            putIf(policy, "min_requests", minRequests);
            putIf(policy, "window_seconds", windowSeconds);
            putIf(policy, "promote_after", promoteAfter);
            putIf(policy, "auto_rollback", autoRollback);
            return body;
        }

        private static void putIf(ObjectNode node, String field, Object value) {
            if (value != null) {
                node.set(field, JSON.valueToTree(value));
            }
        }

        private static void targets(ArrayNode array, List<String> values, String option) {
            for (String value : values) {
                String[] parts = value.split(":", 3);
                if (parts.length != 3) {
                    throw CairnException.invalid(option + " '" + value + "' must be VERSION:WEIGHT:MODEL");
                }
                int weight;
                try {
                    weight = Integer.parseInt(parts[1].strip());
                } catch (NumberFormatException e) {
                    throw CairnException.invalid(
                            option + " '" + value + "': weight '" + parts[1] + "' is not a whole number");
                }
                array.addObject()
                        .put("model", parts[2])
                        .put("version", parts[0])
                        .put("weight", weight);
            }
        }
    }

    @Command(name = "create", mixinStandardHelpOptions = true, description = "Create a deployment.")
    int create(
            @Parameters(paramLabel = "NAME") String name,
            @ArgGroup(exclusive = false, multiplicity = "1") RoutingOptions routing,
            @Option(names = "--json", description = "Print JSON instead of text.") boolean json) {
        ObjectNode body = routing.body();
        body.put("name", name);
        return show(call("POST", BASE, body), json);
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List deployments.")
    int list(@Option(names = "--json", description = "Print JSON instead of a table.") boolean json) {
        JsonNode all = call("GET", BASE, null).get("deployments");
        if (json) {
            JsonOutput.print(out(), all);
            return 0;
        }
        Table table = new Table("NAME", "STATUS", "STABLE", "TRAFFIC", "SHADOWS", "UPDATED", "BY");
        for (JsonNode d : all) {
            JsonNode r = d.get("routing");
            table.row(
                    d.get("name").asText(),
                    d.get("status").asText(),
                    r.get("stable").asText(),
                    weights(r.get("splits")),
                    weights(r.get("shadows")),
                    Table.time(d.get("updated_at").asLong()),
                    d.get("updated_by").asText());
        }
        table.print(out());
        return 0;
    }

    @Command(name = "show", mixinStandardHelpOptions = true, description = "Show one deployment.")
    int show(
            @Parameters(paramLabel = "NAME") String name,
            @Option(names = "--json", description = "Print JSON instead of text.") boolean json) {
        return show(call("GET", path(name, ""), null), json);
    }

    @Command(
            name = "set-traffic",
            mixinStandardHelpOptions = true,
            description = "Replace a deployment's traffic split.")
    int setTraffic(
            @Parameters(paramLabel = "NAME") String name,
            @ArgGroup(exclusive = false, multiplicity = "1") RoutingOptions routing,
            @Option(names = "--json", description = "Print JSON instead of text.") boolean json) {
        ObjectNode body = routing.body();
        if (body.get("policy").isEmpty()) {
            body.remove("policy"); // keep the current policy
        }
        return show(call("PUT", path(name, "/traffic"), body), json);
    }

    @Command(
            name = "promote",
            mixinStandardHelpOptions = true,
            description = "Move all traffic to a version, which becomes stable.")
    int promote(
            @Parameters(paramLabel = "NAME") String name,
            @Parameters(
                            paramLabel = "VERSION",
                            arity = "0..1",
                            description = "The version to promote (default: the one canary).")
                    String version,
            @Option(names = "--json", description = "Print JSON instead of text.") boolean json) {
        ObjectNode body = JSON.createObjectNode();
        if (version != null) {
            body.put("version", version);
        }
        return show(call("POST", path(name, "/promote"), body), json);
    }

    @Command(
            name = "rollback",
            mixinStandardHelpOptions = true,
            description = "Move all traffic back to the stable version.")
    int rollback(
            @Parameters(paramLabel = "NAME") String name,
            @Option(names = "--reason", paramLabel = "TEXT", defaultValue = "", description = "Why, for the history.")
                    String reason,
            @Option(names = "--json", description = "Print JSON instead of text.") boolean json) {
        ObjectNode body = JSON.createObjectNode().put("reason", reason);
        return show(call("POST", path(name, "/rollback"), body), json);
    }

    @Command(
            name = "history",
            mixinStandardHelpOptions = true,
            description = "Every change of a deployment: who, when, what, why.")
    int history(
            @Parameters(paramLabel = "NAME") String name,
            @Option(names = "--json", description = "Print JSON instead of a table.") boolean json) {
        JsonNode history = call("GET", path(name, "/history"), null).get("history");
        if (json) {
            JsonOutput.print(out(), history);
            return 0;
        }
        Table table = new Table("ID", "AT", "ACTION", "ACTOR", "TRAFFIC", "REASON");
        for (JsonNode e : history) {
            table.row(
                    e.get("id").asLong(),
                    Table.time(e.get("at").asLong()),
                    e.get("action").asText(),
                    e.get("actor").asText(),
                    weights(e.get("routing").get("splits")),
                    e.get("reason").asText());
        }
        table.print(out());
        return 0;
    }

    private int show(JsonNode d, boolean json) {
        if (json) {
            JsonOutput.print(out(), d);
            return 0;
        }
        JsonNode r = d.get("routing");
        JsonNode p = r.get("policy");
        new Table("FIELD", "VALUE")
                .row("name", d.get("name").asText())
                .row("status", d.get("status").asText())
                .row("stable", r.get("stable").asText())
                .row("traffic", weights(r.get("splits")))
                .row("shadows", weights(r.get("shadows")))
                .row(
                        "policy",
                        "max_error_rate=" + p.get("max_error_rate").asText() + " max_p99_ms="
                                + p.get("max_p99_millis").asText() + " min_requests="
                                + p.get("min_requests").asText()
                                + " window_s=" + p.get("window_seconds").asText() + " promote_after="
                                + p.get("promote_after").asText() + " auto_rollback="
                                + p.get("auto_rollback").asText())
                .row(
                        "created",
                        Table.time(d.get("created_at").asLong()) + " by "
                                + d.get("created_by").asText())
                .row(
                        "updated",
                        Table.time(d.get("updated_at").asLong()) + " by "
                                + d.get("updated_by").asText())
                .print(out());
        Table models = new Table("VERSION", "WEIGHT", "MODEL");
        r.get("splits")
                .forEach(s -> models.row(
                        s.get("version").asText(),
                        s.get("weight").asInt(),
                        s.get("model").asText()));
        out().println();
        models.print(out());
        return 0;
    }

    /** {@code 1=90 2=10}: versions and their weights. */
    private static String weights(JsonNode splits) {
        var text = new StringJoiner(" ");
        splits.forEach(
                s -> text.add(s.get("version").asText() + "=" + s.get("weight").asInt()));
        return text.toString();
    }

    private static String path(String name, String suffix) {
        return BASE + "/" + URLEncoder.encode(name, StandardCharsets.UTF_8).replace("+", "%20") + suffix;
    }

    /** One REST call as the user named by {@code --user}. */
    private JsonNode call(String method, String path, JsonNode body) {
        return new RestCalls(CairnCommand.of(spec).trackingUri(), Map.of("X-Cairn-User", user == null ? "" : user))
                .call(method, path, body);
    }

    private PrintWriter out() {
        return spec.commandLine().getOut();
    }
}
