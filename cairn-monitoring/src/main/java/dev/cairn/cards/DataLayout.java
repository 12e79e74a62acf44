package dev.cairn.cards;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cairn.cards.CardDocument.Block;
import dev.cairn.cards.CardDocument.Fact;
import dev.cairn.cards.CardDocument.Facts;
import dev.cairn.cards.CardDocument.Heading;
import dev.cairn.cards.CardDocument.Note;
import dev.cairn.cards.CardDocument.Section;
import dev.cairn.cards.CardDocument.Table;
import dev.cairn.monitoring.MonitorResult;
import dev.cairn.monitoring.alerts.Alert;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The sections about data, deployments and monitors: what the version learned from and where it serves. */
final class DataLayout {
    private DataLayout() {}

    static Section data(ModelCard card, ModelCard.DatasetRole role) {
        boolean training = role == ModelCard.DatasetRole.TRAINING;
        String title = training ? "Training data" : "Evaluation data";
        List<List<String>> rows = new ArrayList<>();
        card.datasets().stream()
                .filter(d -> d.role() == role)
                .forEach(d -> rows.add(
                        List.of(d.uri(), Text.orNotRecorded(d.name()), Text.orNotRecorded(d.digest()), d.evidence())));
        if (rows.isEmpty()) {
            String where = training
                    ? "no dataset version upstream of the version in lineage, and no training input of its run"
                    : "no holdout in the evaluation record, and no run input with an evaluation context"
                            + " (tag mlflow.data.context)";
            return new Section(title, List.of(new Note("Not recorded: " + where + ".")));
        }
        return new Section(
                title, List.of(new Table(List.of("Dataset version", "Name", "Digest", "Recorded by"), rows)));
    }

    static Section deployments(ModelCard card) {
        if (card.serving().isEmpty()) {
            return new Section(
                    "Deployments",
                    List.of(new Note("Not deployed: no current deployment routes traffic to models:/"
                            + card.details().name() + "/" + card.details().version() + " or an alias of it.")));
        }
        List<List<String>> rows = new ArrayList<>();
        for (ModelCard.Serving s : card.serving()) {
            rows.add(List.of(
                    s.deployment().name(),
                    s.deployment().status().name(),
                    s.role(),
                    s.split().model(),
                    s.split().version(),
                    Integer.toString(s.split().weight()),
                    Text.time(s.deployment().updatedAt()),
                    s.deployment().updatedBy()));
        }
        return new Section(
                "Deployments",
                List.of(new Table(
                        List.of(
                                "Deployment",
                                "Status",
                                "Role",
                                "Model URI",
                                "Served as",
                                "Weight %",
                                "Last change",
                                "Changed by"),
                        rows)));
    }

    static Section monitoring(ModelCard card) {
        String title = "Monitoring: drift and performance history";
        if (card.monitors().isEmpty()) {
            return new Section(
                    title,
                    List.of(new Note("Not recorded: no monitor watches a deployment that serves this version.")));
        }
        List<Block> blocks = new ArrayList<>();
        blocks.add(new Note("Windows cover all traffic of the monitored deployment, including other versions it"
                + " served at the time. At most the latest " + ModelCards.MONITOR_WINDOWS + " windows are shown."));
        for (ModelCard.MonitorHistory m : card.monitors()) {
            blocks.add(new Heading(
                    "Monitor " + m.spec().name() + " of deployment " + m.spec().deployment()));
            blocks.add(new Facts(List.of(
                    new Fact("Reference", m.spec().reference()),
                    new Fact("Features", String.join(", ", m.spec().features())),
                    new Fact("Drift share threshold", Text.number(m.spec().driftShare())),
                    new Fact("Window", m.spec().window().toString()))));
            blocks.add(m.results().isEmpty() ? new Note("The monitor has not run yet.") : windows(m.results()));
            blocks.add(m.alerts().isEmpty() ? new Note("No alert has fired.") : alerts(m.alerts()));
        }
        return new Section(title, blocks);
    }

    private static Table windows(List<MonitorResult> results) {
        List<List<String>> rows = new ArrayList<>();
        for (MonitorResult r : results) {
            rows.add(List.of(
                    Text.time(r.windowStart()),
                    Text.time(r.windowEnd()),
                    r.status(),
                    Long.toString(r.rowCount()),
                    Long.toString(r.labeledCount()),
                    Text.number(r.driftShare()),
                    r.datasetDrift() ? "yes" : "no",
                    drifted(r.columns()),
                    r.labeledCount() == 0 ? "no labels yet" : overall(r.metrics())));
        }
        return new Table(
                List.of(
                        "Window start",
                        "Window end",
                        "Status",
                        "Rows",
                        "Labeled",
                        "Drift share",
                        "Dataset drift",
                        "Drifted columns",
                        "Performance"),
                rows);
    }

    private static Table alerts(List<Alert> alerts) {
        List<List<String>> rows = new ArrayList<>();
        for (Alert a : alerts) {
            rows.add(List.of(
                    a.rule(),
                    a.state().name(),
                    Text.number(a.value()),
                    Text.time(a.firedAt()),
                    a.resolvedAt().map(Text::time).orElse("open"),
                    a.message()));
        }
        return new Table(List.of("Rule", "State", "Value", "Fired", "Resolved", "Message"), rows);
    }

    /** The names of the drifted columns in a window's per-column results, with their statistic. */
    private static String drifted(JsonNode columns) {
        List<String> names = new ArrayList<>();
        for (JsonNode c : columns) {
            if (c.path("drifted").asBoolean(false)) {
                String test = c.path("test").asText("");
                names.add(c.path("column").asText("?")
                        + (test.isEmpty() ? "" : " (" + test.toLowerCase(Locale.ROOT) + ")"));
            }
        }
        return names.isEmpty() ? "none" : String.join(", ", names);
    }

    /** The numeric overall metrics of a window, as {@code name=value} pairs. */
    private static String overall(JsonNode metrics) {
        List<String> pairs = new ArrayList<>();
        for (String group : List.of("overall", "business")) {
            for (Map.Entry<String, JsonNode> e : metrics.path(group).properties()) {
                if (e.getValue().isNumber()) {
                    pairs.add(e.getKey() + "=" + Text.number(e.getValue().asDouble()));
                }
            }
        }
        return pairs.isEmpty() ? "none computed" : String.join(", ", pairs);
    }
}
