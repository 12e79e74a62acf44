package dev.cairn.cards;

import dev.cairn.deployments.Deployment;
import dev.cairn.deployments.TrafficSplit;
import dev.cairn.evaluation.GatedEvaluation;
import dev.cairn.evaluation.PromotionOverride;
import dev.cairn.monitoring.MonitorResult;
import dev.cairn.monitoring.MonitorSpec;
import dev.cairn.monitoring.alerts.Alert;
import dev.cairn.tracking.Run;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The recorded facts about one model version that its model card shows, gathered by {@link
 * ModelCards}: nothing here is inferred, and every absent fact stays absent (empty) so that the
 * card can say so. All strings are as recorded, hence untrusted: renderers escape them.
 *
 * @param details who made the version, when, from which run and code
 * @param prose the prose sections supplied by {@code cairn.card.*} tags or descriptions
 * @param run the run that produced the version, when it still exists
 * @param datasets dataset versions the version was trained or evaluated on
 * @param evaluation the evaluation recorded for the version ({@link EvaluationRecords})
 * @param blessing the gate outcome recorded in the version's tags
 * @param serving the deployment splits that serve the version now
 * @param monitors the monitors of those deployments, with their recent windows and alerts
 * @param notes records that exist but could not be read, each with its reason
 * @param generatedAt when the card was assembled
 */
public record ModelCard(
        Details details,
        Prose prose,
        Optional<Run> run,
        List<DatasetUse> datasets,
        Optional<RecordedEvaluation> evaluation,
        BlessingRecord blessing,
        List<Serving> serving,
        List<MonitorHistory> monitors,
        List<String> notes,
        Instant generatedAt) {
    public ModelCard {
        datasets = List.copyOf(datasets);
        serving = List.copyOf(serving);
        monitors = List.copyOf(monitors);
        notes = List.copyOf(notes);
    }

    /**
     * The model details section: identity, dates, people, license, links, source and code version.
     * Descriptions are empty strings when none was given.
     */
    public record Details(
            String name,
            int version,
            String modelDescription,
            String versionDescription,
            String stage,
            List<String> aliases,
            String source,
            Instant created,
            Instant updated,
            String creator,
            List<String> owners,
            Optional<String> license,
            List<String> links,
            Optional<String> flavor,
            Optional<String> contentHash,
            Optional<String> codeCommit) {
        public Details {
            aliases = List.copyOf(aliases);
            owners = List.copyOf(owners);
            links = List.copyOf(links);
        }
    }

    /** A piece of recorded prose and where it was recorded (a tag or a description). */
    public record Statement(String text, String recordedIn) {}

    /** The sections of a model card that only people can write, each empty when nobody did. */
    public record Prose(
            Optional<Statement> intendedUse,
            Optional<Statement> factors,
            Optional<Statement> ethicalConsiderations,
            Optional<Statement> caveats) {}

    /** What a dataset version was used for. */
    public enum DatasetRole {
        TRAINING,
        EVALUATION
    }

    /**
     * A dataset version the model version depends on: its URI (a {@code cairn-dataset:/} lineage
     * node or a run input's source), name and digest when recorded, its role, and the record it
     * comes from.
     */
    public record DatasetUse(String uri, String name, String digest, DatasetRole role, String evidence) {}

    /**
     * An evaluation recorded for the version: where the record is, the holdout it was measured on
     * (empty when not recorded), and the measured metrics, slices, fairness and gate checks.
     */
    public record RecordedEvaluation(String location, String holdout, GatedEvaluation evaluation) {}

    /**
     * The evaluation gate outcome recorded in the version's tags: the verdict as recorded (empty when
     * the version was never gated), the summary, the reasons, and a promotion override if one was made.
     */
    public record BlessingRecord(
            Optional<String> verdict, String summary, List<String> reasons, Optional<PromotionOverride> override) {
        public BlessingRecord {
            reasons = List.copyOf(reasons);
        }
    }

    /** A deployment serving the version, through {@code split} in the role {@code stable}, {@code canary} or {@code shadow}. */
    public record Serving(Deployment deployment, TrafficSplit split, String role) {}

    /** A monitor of a deployment serving the version: its latest windows (oldest first) and its alerts. */
    public record MonitorHistory(MonitorSpec spec, List<MonitorResult> results, List<Alert> alerts) {
        public MonitorHistory {
            results = List.copyOf(results);
            alerts = List.copyOf(alerts);
        }
    }
}
