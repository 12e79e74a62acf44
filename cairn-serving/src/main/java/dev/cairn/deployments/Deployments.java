package dev.cairn.deployments;

import dev.cairn.core.CairnException;
import dev.cairn.core.ErrorCode;
import dev.cairn.serving.InferenceEngine;
import dev.cairn.serving.ModelInfo;
import dev.cairn.store.Database;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deployments of a server: creates them, changes their traffic, promotes and rolls back, each
 * change stored with an append-only history row (who, when, why) and applied to the {@link
 * DeploymentRouter}; a canary judge watches the inference log and rolls back or promotes.
 * A deployment's versions are served by the engine under the deployment's name.
 */
public final class Deployments implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Deployments.class);
    /** The actor recorded when a request names none. */
    public static final String ANONYMOUS = "anonymous";

    private final DeploymentStore store;
    private final InferenceEngine engine;
    private final ModelSource source;
    private final DeploymentRouter router;
    private final CanaryJudge judge;
    private final List<Consumer<Promotion>> promotionListeners = new CopyOnWriteArrayList<>();

    private Deployments(Database database, InferenceEngine engine, ModelSource source, Duration judgeInterval) {
        this.store = new DeploymentStore(database);
        this.engine = engine;
        this.source = source;
        this.router = new DeploymentRouter(engine, 1024);
        restore();
        this.judge = new CanaryJudge(database, this, judgeInterval);
    }

    /**
     * Deployments stored in {@code database}, served by {@code engine} from packages {@code source}
     * resolves, canaries judged every {@code judgeInterval} (zero: only when {@link #judgeCanaries()} is called).
     */
    public static Deployments open(
            Database database, InferenceEngine engine, ModelSource source, Duration judgeInterval) {
        return new Deployments(database, engine, source, judgeInterval);
    }

    /** The request path: inference through a deployment's name. */
    public DeploymentRouter router() {
        return router;
    }

    /**
     * Tells {@code listener} of every canary the judge promotes, after the promotion is stored (the
     * server moves the registered model's champion alias this way). A failing listener is logged.
     */
    public void onAutoPromote(Consumer<Promotion> listener) {
        promotionListeners.add(listener);
    }

    /** Creates deployment {@code name}, loading its versions first; nothing is stored if one fails to load. */
    public synchronized Deployment create(String name, Routing routing, String actor) {
        CairnException.requireArgument(
                name != null && name.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,127}"),
                "deployment 'name' '" + name + "' must be 1-128 letters, digits, '.', '_' or '-'");
        if (store.find(name).isPresent()) {
            throw CairnException.alreadyExists("deployment '" + name + "' already exists");
        }
        if (engine.model(name, "").isPresent()) {
            throw CairnException.alreadyExists("a model named '" + name + "' is already served outside deployments");
        }
        load(name, routing);
        Deployment created = store.create(name, routing, actor(actor), Instant.now());
        router.install(name, routing);
        engine.setDefaultVersion(name, routing.stable());
        return created;
    }

    public List<Deployment> list() {
        return store.list();
    }

    public Deployment get(String name) {
        return store.find(name).orElseThrow(() -> CairnException.notFound("deployment '" + name + "' does not exist"));
    }

    /** Every change of deployment {@code name}, oldest first. */
    public List<DeploymentEvent> history(String name) {
        get(name);
        return store.history(name);
    }

    /** Replaces the routing of {@code name}; a version that fails to load leaves the previous routing in place. */
    public synchronized Deployment setTraffic(String name, Routing routing, String actor) {
        Deployment current = get(name);
        load(name, routing);
        return apply(current, routing, routing.status(), DeploymentAction.SET_TRAFFIC, actor, "");
    }

    /** Moves all traffic to {@code version} ({@code ""}: the one canary), which becomes stable. */
    public synchronized Deployment promote(String name, String version, String actor) {
        Deployment current = get(name);
        TrafficSplit target = promotable(current, version);
        return apply(
                current,
                promoted(current.routing(), target),
                DeploymentStatus.STABLE,
                DeploymentAction.PROMOTE,
                actor,
                "");
    }

    /** Moves all traffic back to the stable version. */
    public synchronized Deployment rollback(String name, String actor, String reason) {
        Deployment current = get(name);
        Routing routing = current.routing();
        if (routing.canaries().isEmpty()) {
            throw new CairnException(
                    ErrorCode.INVALID_STATE,
                    "deployment '" + name + "' has no canary to roll back; all traffic is on '" + routing.stable()
                            + "'");
        }
        return apply(
                current,
                routing.allOn(routing.stableSplit()),
                DeploymentStatus.ROLLED_BACK,
                DeploymentAction.ROLLBACK,
                actor,
                reason);
    }

    /** Judges every canary now, acting on the verdicts as the scheduled judge would. */
    public List<CanaryVerdict> judgeCanaries() {
        return judge.judgeAll();
    }

    /** Judges the canaries of deployment {@code name} now, acting on the verdicts as the scheduled judge would. */
    public List<CanaryVerdict> judgeCanaries(String name) {
        Deployment d = get(name);
        return d.status() == DeploymentStatus.CANARY ? judge.judge(d) : List.of();
    }

    synchronized void autoRollback(Deployment measured, String reason) {
        Deployment current = get(measured.name());
        if (!current.updatedAt().equals(measured.updatedAt())) {
            return; // changed since it was measured: the measurement no longer applies
        }
        Routing routing = current.routing();
        apply(
                current,
                routing.allOn(routing.stableSplit()),
                DeploymentStatus.ROLLED_BACK,
                DeploymentAction.AUTO_ROLLBACK,
                CanaryJudge.ACTOR,
                reason);
        LOG.warn("deployment {} rolled back automatically: {}", current.name(), reason);
    }

    synchronized void autoPromote(Deployment measured, String version, String reason) {
        Deployment current = get(measured.name());
        if (!current.updatedAt().equals(measured.updatedAt())) {
            return;
        }
        TrafficSplit target = promotable(current, version);
        Deployment updated = apply(
                current,
                promoted(current.routing(), target),
                DeploymentStatus.STABLE,
                DeploymentAction.AUTO_PROMOTE,
                CanaryJudge.ACTOR,
                reason);
        LOG.info("deployment {} promoted {} automatically: {}", current.name(), target.version(), reason);
        Promotion promotion = new Promotion(updated, target, CanaryJudge.ACTOR, reason);
        for (Consumer<Promotion> listener : promotionListeners) {
            try {
                listener.accept(promotion);
            } catch (RuntimeException e) {
                LOG.warn("a listener of the promotion of {} on {} failed", target.version(), current.name(), e);
            }
        }
    }

    private Deployment apply(
            Deployment current,
            Routing routing,
            DeploymentStatus status,
            DeploymentAction action,
            String actor,
            String reason) {
        Instant now = Instant.now();
        // Strictly later than the last change, so the judge never counts requests of the old routing.
        Instant at = now.toEpochMilli() > current.updatedAt().toEpochMilli()
                ? now
                : current.updatedAt().plusMillis(1);
        Deployment updated = store.update(current, routing, status, action, actor(actor), at, reason);
        router.install(current.name(), routing);
        engine.setDefaultVersion(current.name(), routing.stable());
        return updated;
    }

    private static TrafficSplit promotable(Deployment d, String version) {
        Routing routing = d.routing();
        if (version == null || version.isBlank()) {
            List<TrafficSplit> canaries = routing.canaries();
            if (canaries.size() != 1) {
                throw new CairnException(
                        ErrorCode.INVALID_STATE,
                        "deployment '" + d.name() + "' has " + canaries.size()
                                + " canaries; name the 'version' to promote");
            }
            return canaries.get(0);
        }
        return routing.target(version.strip())
                .orElseThrow(() -> CairnException.invalid(
                        "deployment '" + d.name() + "' has no version '" + version + "' to promote"));
    }

    private static Routing promoted(Routing routing, TrafficSplit target) {
        List<TrafficSplit> shadows = routing.shadows().stream()
                .filter(s -> !s.version().equals(target.version()))
                .toList();
        return new Routing(List.of(target.withWeight(100)), target.version(), shadows, routing.policy());
    }

    /** Loads every version of {@code routing} the engine does not already serve from the same package. */
    private void load(String name, Routing routing) {
        var loaded = new ArrayList<String>();
        try {
            for (TrafficSplit target : routing.targets()) {
                Path directory = source.resolve(target.model());
                Optional<ModelInfo> served = engine.model(name, target.version());
                if (served.isEmpty() || !served.get().directory().equals(directory)) {
                    refuseSwapInPlace(name, target, served);
                    engine.load(name, target.version(), directory);
                    loaded.add(target.version());
                }
            }
        } catch (RuntimeException e) {
            // Whatever routed before keeps routing; versions loaded for this change go away again.
            for (String version : loaded) {
                unloadQuietly(name, version);
            }
            throw e;
        }
        engine.model(name, "").ifPresent(m -> restoreDefault(name));
    }

    /** A version taking traffic keeps its model: a new model needs a new version label, so a failed change cannot leave it half-swapped. */
    private void refuseSwapInPlace(String name, TrafficSplit target, Optional<ModelInfo> served) {
        boolean routed = served.isPresent()
                && store.find(name)
                        .flatMap(d -> d.routing().target(target.version()))
                        .isPresent();
        if (routed) {
            throw CairnException.invalid(
                    "version '" + target.version() + "' of deployment '" + name + "' already serves "
                            + served.get().directory() + "; give model '" + target.model() + "' a new version label");
        }
    }

    private void restoreDefault(String name) {
        store.find(name)
                .ifPresent(d -> engine.setDefaultVersion(name, d.routing().stable()));
    }

    private void unloadQuietly(String name, String version) {
        try {
            engine.unload(name, version);
        } catch (RuntimeException e) {
            LOG.warn("could not unload {} {}", name, version, e);
        }
    }

    /** Serves the stored deployments again after a restart; one that cannot load is logged and left out. */
    private void restore() {
        for (Deployment d : store.list()) {
            try {
                load(d.name(), d.routing());
                router.install(d.name(), d.routing());
            } catch (RuntimeException e) {
                LOG.error("deployment {} could not be restored: {}", d.name(), e.getMessage(), e);
            }
        }
    }

    private static String actor(String actor) {
        return actor == null || actor.isBlank() ? ANONYMOUS : actor.strip();
    }

    @Override
    public void close() {
        judge.close();
        router.close();
    }
}
