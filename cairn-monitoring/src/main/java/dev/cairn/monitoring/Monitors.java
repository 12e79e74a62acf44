package dev.cairn.monitoring;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cairn.core.CairnException;
import dev.cairn.drift.ReferenceProfile;
import dev.cairn.drift.TableDrift;
import dev.cairn.lineage.EdgeType;
import dev.cairn.lineage.LineageEdge;
import dev.cairn.lineage.LineageUri;
import dev.cairn.monitoring.alerts.Alert;
import dev.cairn.monitoring.alerts.AlertAction;
import dev.cairn.monitoring.alerts.AlertRule;
import dev.cairn.monitoring.alerts.LogNotifier;
import dev.cairn.monitoring.alerts.WebhookConfig;
import dev.cairn.monitoring.alerts.WebhookDelivery;
import dev.cairn.monitoring.alerts.WebhookNotifier;
import dev.cairn.serving.InferenceLogQuery;
import dev.cairn.serving.LoggedInference;
import dev.cairn.store.Database;
import java.nio.file.Path;
import java.time.Instant;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Monitors over deployments: creates them, runs their windows over the inference log, stores the
 * results as a time series, takes ground-truth feedback, evaluates alert rules (one notification
 * when an alert fires and one when it resolves, never one per window) and runs the alert actions.
 */
public final class Monitors implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Monitors.class);
    /** The largest feedback batch accepted. */
    public static final int MAX_FEEDBACK_BATCH = 10_000;

    private final MonitorStore store;
    private final InferenceLogQuery log;
    private final MonitorRunner runner;
    private final Optional<WebhookNotifier> webhooks;
    private final List<AlertAction> actions;
    private final ReferenceFiles references;
    private final LogNotifier logNotifier = new LogNotifier();
    private final Map<String, ReferenceProfile> profiles = new ConcurrentHashMap<>();
    private final List<CompletableFuture<List<WebhookDelivery>>> deliveries = new CopyOnWriteArrayList<>();
    private final List<java.util.concurrent.ScheduledExecutorService> scheduler = new ArrayList<>();

    private Monitors(
            Database database,
            Optional<WebhookNotifier> webhooks,
            List<AlertAction> actions,
            ReferenceFiles references,
            Optional<ReferenceDatasets> datasets) {
        this.references = datasets.map(d -> references.withDatasets(new DatasetReferenceCache(database, d)))
                .orElse(references);
        ObjectMapper json = new ObjectMapper();
        this.store = new MonitorStore(database, json);
        this.log = new InferenceLogQuery(database);
        this.runner = new MonitorRunner(log, store, json);
        this.webhooks = webhooks;
        this.actions = List.copyOf(actions);
    }

    /**
     * Monitors that notify the log only; specs naming webhooks are refused, and so are references to
     * dataset versions (see {@link #open(Database, ReferenceDatasets)}).
     */
    public static Monitors open(Database database) {
        return new Monitors(database, Optional.empty(), List.of(), ReferenceFiles.anywhere(), Optional.empty());
    }

    /** Monitors that notify the log only and also read references to dataset versions from {@code datasets}. */
    public static Monitors open(Database database, ReferenceDatasets datasets) {
        return new Monitors(database, Optional.empty(), List.of(), ReferenceFiles.anywhere(), Optional.of(datasets));
    }

    /** Monitors that also send webhooks under {@code webhooks} and run {@code actions} when an alert fires. */
    public static Monitors open(Database database, WebhookConfig webhooks, List<AlertAction> actions) {
        return new Monitors(
                database,
                Optional.of(new WebhookNotifier(webhooks, new ObjectMapper())),
                actions,
                ReferenceFiles.anywhere(),
                Optional.empty());
    }

    /** As {@link #open(Database, WebhookConfig, List)}, with references to dataset versions read from {@code datasets}. */
    public static Monitors open(
            Database database, WebhookConfig webhooks, List<AlertAction> actions, ReferenceDatasets datasets) {
        return new Monitors(
                database,
                Optional.of(new WebhookNotifier(webhooks, new ObjectMapper())),
                actions,
                ReferenceFiles.anywhere(),
                Optional.of(datasets));
    }

    /**
     * Monitors configured from the environment: webhooks are enabled when {@code CAIRN_WEBHOOK_SECRET}
     * is set, to the hosts in {@code CAIRN_WEBHOOK_ALLOWED_HOSTS} (comma-separated), with the
     * non-public addresses in {@code CAIRN_WEBHOOK_ALLOWED_PRIVATE_ADDRESSES} reachable (none by default);
     * scheduled monitors are checked every 30 seconds. Reference tables must lie under
     * {@code referenceRoots} (API clients never make the server read another file) or be dataset
     * versions of {@code datasets}.
     */
    public static Monitors fromEnvironment(
            Database database, List<AlertAction> actions, List<Path> referenceRoots, ReferenceDatasets datasets) {
        String secret = System.getenv("CAIRN_WEBHOOK_SECRET");
        Optional<WebhookNotifier> webhooks = Optional.empty();
        if (secret != null && !secret.isBlank()) {
            WebhookConfig config = WebhookConfig.of(secret, csv("CAIRN_WEBHOOK_ALLOWED_HOSTS"))
                    .withAllowedPrivateAddresses(csv("CAIRN_WEBHOOK_ALLOWED_PRIVATE_ADDRESSES"));
            webhooks = Optional.of(new WebhookNotifier(config, new ObjectMapper()));
        }
        Monitors monitors =
                new Monitors(database, webhooks, actions, ReferenceFiles.under(referenceRoots), Optional.of(datasets));
        monitors.startScheduler(java.time.Duration.ofSeconds(30));
        return monitors;
    }

    private static java.util.Set<String> csv(String variable) {
        String value = System.getenv(variable);
        if (value == null) {
            return java.util.Set.of();
        }
        return java.util.Arrays.stream(value.split(","))
                .map(String::strip)
                .filter(s -> !s.isEmpty())
                .collect(java.util.stream.Collectors.toUnmodifiableSet());
    }

    /**
     * Validates and stores {@code spec}; its reference table is profiled now, so a bad one fails here
     * and nothing is stored. A reference to a dataset version is recorded in lineage:
     * {@code cairn-dataset:/NAME/VERSION -consumed-> monitors:/<name>}, with the file read as attribute.
     */
    public MonitorSpec create(MonitorSpec spec) {
        CairnException.requireArgument(
                spec.webhooks().isEmpty() || webhooks.isPresent(),
                "webhooks: this server has no webhook secret configured; got " + spec.webhooks());
        ReferenceFiles.Resolved reference = references.resolve(spec.reference());
        ReferenceProfile profile = TableDrift.profile(reference.file(), spec.features());
        List<String> known = profile.columns().stream().map(c -> c.name()).toList();
        for (String f : spec.features()) {
            CairnException.requireArgument(
                    known.contains(f), "features: '" + f + "' is not a numeric or text column of the reference");
        }
        store.create(spec, lineage(spec, reference));
        profiles.put(spec.name(), profile);
        return spec;
    }

    private static List<LineageEdge> lineage(MonitorSpec spec, ReferenceFiles.Resolved reference) {
        if (!reference.fromDataset()) {
            return List.of();
        }
        return List.of(LineageEdge.of(reference.datasetUri(), EdgeType.CONSUMED, LineageUri.monitor(spec.name()))
                .withAttributes(Map.of("file", reference.datasetFile())));
    }

    public Optional<MonitorSpec> get(String name) {
        return store.get(name);
    }

    public List<MonitorSpec> list() {
        return store.list();
    }

    /** Runs the window {@code [end - window, end)} of monitor {@code name}, stores it and evaluates its rules. */
    public MonitorResult run(String name, Instant end) {
        MonitorSpec spec = require(name);
        MonitorResult result = runner.run(spec, profile(spec), end.minus(spec.window()), end);
        store.saveResult(result);
        evaluate(spec);
        return result;
    }

    /**
     * Runs every monitor with a schedule whose last window ended at least {@code schedule} before
     * {@code now} (or that never ran), each over the window ending at {@code now}; returns the results.
     * A failing monitor is logged and does not stop the others.
     */
    public List<MonitorResult> runDue(Instant now) {
        List<MonitorResult> out = new ArrayList<>();
        for (MonitorSpec spec : store.list()) {
            if (spec.schedule().isZero()) {
                continue;
            }
            List<MonitorResult> last = store.results(spec.name(), 1);
            if (!last.isEmpty() && last.get(0).windowEnd().plus(spec.schedule()).isAfter(now)) {
                continue;
            }
            try {
                out.add(run(spec.name(), now));
            } catch (RuntimeException e) {
                LOG.warn("scheduled run of monitor {} failed", spec.name(), e);
            }
        }
        return out;
    }

    /** Checks for due monitors every {@code tick} on a thread of its own until {@link #close}. */
    public void startScheduler(java.time.Duration tick) {
        synchronized (scheduler) {
            if (scheduler.isEmpty()) {
                java.util.concurrent.ScheduledExecutorService s =
                        java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
                            Thread t = new Thread(r, "cairn-monitors");
                            t.setDaemon(true);
                            return t;
                        });
                s.scheduleWithFixedDelay(
                        () -> runDue(Instant.now()),
                        tick.toMillis(),
                        tick.toMillis(),
                        java.util.concurrent.TimeUnit.MILLISECONDS);
                scheduler.add(s);
            }
        }
    }

    /** The latest {@code limit} results of a monitor, oldest first. */
    public List<MonitorResult> results(String name, int limit) {
        require(name);
        CairnException.requireArgument(limit >= 1 && limit <= 10_000, "limit must be in [1, 10000]; got " + limit);
        return store.results(name, limit);
    }

    public List<Alert> alerts(String name) {
        require(name);
        return store.alerts(name);
    }

    /** Stores ground-truth labels joined to the inference log by request id. */
    public FeedbackOutcome feedback(List<FeedbackLabel> labels) {
        CairnException.requireArgument(
                labels.size() <= MAX_FEEDBACK_BATCH,
                "labels: at most " + MAX_FEEDBACK_BATCH + " per request; got " + labels.size());
        List<String> unknown = new ArrayList<>();
        List<Map.Entry<MonitorStore.LabelTarget, String>> known = new ArrayList<>();
        LinkedHashSet<String> seen = new LinkedHashSet<>();
        int repeated = 0;
        for (FeedbackLabel label : labels) {
            if (!seen.add(label.requestId())) {
                repeated++;
                continue;
            }
            Optional<LoggedInference> logged = log.byRequestId(label.requestId());
            if (logged.isEmpty()) {
                unknown.add(label.requestId());
                continue;
            }
            LoggedInference l = logged.get();
            known.add(new AbstractMap.SimpleEntry<>(
                    new MonitorStore.LabelTarget(
                            l.requestId(), l.deployment(), l.time().toEpochMilli()),
                    label.label()));
        }
        int inserted = store.insertLabels(known);
        return new FeedbackOutcome(inserted, known.size() - inserted + repeated, unknown);
    }

    /** Webhook deliveries started so far (for tests and the CLI). */
    public List<CompletableFuture<List<WebhookDelivery>>> deliveries() {
        return List.copyOf(deliveries);
    }

    private MonitorSpec require(String name) {
        return store.get(name).orElseThrow(() -> CairnException.notFound("monitor '" + name + "' does not exist"));
    }

    private ReferenceProfile profile(MonitorSpec spec) {
        return profiles.computeIfAbsent(
                spec.name(),
                n -> TableDrift.profile(references.resolve(spec.reference()).file(), spec.features()));
    }

    private void evaluate(MonitorSpec spec) {
        int depth = spec.rules().stream().mapToInt(AlertRule::windows).max().orElse(0);
        if (depth == 0) {
            return;
        }
        List<MonitorResult> recent = store.results(spec.name(), depth);
        MonitorResult latest = recent.get(recent.size() - 1);
        if (latest.status().equals(MonitorResult.NO_DATA)) {
            return; // no data neither fires nor resolves
        }
        for (AlertRule rule : spec.rules()) {
            double value = value(rule, latest);
            boolean breached = recent.size() >= rule.windows()
                    && recent.subList(recent.size() - rule.windows(), recent.size()).stream()
                            .allMatch(r -> rule.breachedBy(value(rule, r)));
            Optional<Alert> open = store.openAlert(spec.name(), rule.name());
            if (breached && open.isEmpty()) {
                String subject = rule.metric().isEmpty() ? "" : " " + rule.metric();
                String message = rule.kind().wireName() + subject + " = " + value + " (threshold " + rule.threshold()
                        + ", " + rule.windows() + " window(s))";
                announce(spec, store.fire(spec.name(), rule.name(), value, message, latest.windowEnd()));
            } else if (!breached && open.isPresent() && !Double.isNaN(value) && !rule.breachedBy(value)) {
                announce(spec, store.resolve(open.get(), value, latest.windowEnd()));
            }
        }
    }

    private static double value(AlertRule rule, MonitorResult r) {
        OptionalDouble v =
                switch (rule.kind()) {
                    case DRIFT_SHARE_ABOVE ->
                        Double.isNaN(r.driftShare()) ? OptionalDouble.empty() : OptionalDouble.of(r.driftShare());
                    case METRIC_BELOW -> r.metric(rule.metric());
                    case BUSINESS_METRIC_ABOVE -> r.businessMetric(rule.metric());
                };
        return v.orElse(Double.NaN);
    }

    private void announce(MonitorSpec spec, Alert alert) {
        logNotifier.notify(alert, spec.deployment());
        if (!spec.webhooks().isEmpty()) {
            webhooks.ifPresent(w -> deliveries.add(w.send(alert, spec.deployment(), spec.webhooks())));
        }
        if (alert.state() == Alert.State.FIRING && spec.retrain()) {
            for (AlertAction action : actions) {
                try {
                    action.onFiring(alert, spec.deployment());
                } catch (RuntimeException e) {
                    LOG.warn(
                            "alert action {} failed for alert {}",
                            action.getClass().getSimpleName(),
                            alert.id(),
                            e);
                }
            }
        }
    }

    @Override
    public void close() {
        synchronized (scheduler) {
            scheduler.forEach(java.util.concurrent.ScheduledExecutorService::shutdownNow);
            scheduler.clear();
        }
        webhooks.ifPresent(WebhookNotifier::close);
    }
}
