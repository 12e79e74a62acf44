package dev.cairn.deployments;

import dev.cairn.core.CairnException;
import dev.cairn.serving.InferenceEngine;
import dev.cairn.serving.InferenceRequest;
import dev.cairn.serving.InferenceResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sits in front of {@link InferenceEngine#infer(InferenceRequest, String)} for deployments: picks
 * each request's version by weight (by a hash of its routing key when it has one, so the same key
 * always lands on the same version; else at random), names the deployment the inference log
 * records, and mirrors requests to shadows on a bounded background executor whose answers are
 * dropped and which never delays or fails the primary request.
 */
public final class DeploymentRouter implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DeploymentRouter.class);
    /** The suffix of the deployment name under which shadow predictions are logged. */
    public static final String SHADOW_SUFFIX = "#shadow";

    private final InferenceEngine engine;
    private final Map<String, Table> tables = new ConcurrentHashMap<>();
    private final ThreadPoolExecutor shadows;
    private final AtomicLong mirrored = new AtomicLong();
    private final AtomicLong shadowDropped = new AtomicLong();

    /** A deployment's routing compiled for the request path: cumulative weights over versions. */
    private record Table(String[] versions, int[] upTo, List<TrafficSplit> shadows) {
        static Table of(Routing routing) {
            List<TrafficSplit> live =
                    routing.splits().stream().filter(s -> s.weight() > 0).toList();
            String[] versions = new String[live.size()];
            int[] upTo = new int[live.size()];
            int sum = 0;
            for (int i = 0; i < live.size(); i++) {
                versions[i] = live.get(i).version();
                sum += live.get(i).weight();
                upTo[i] = sum;
            }
            return new Table(versions, upTo, routing.shadows());
        }

        String pick(int bucket) {
            for (int i = 0; i < upTo.length; i++) {
                if (bucket < upTo[i]) {
                    return versions[i];
                }
            }
            return versions[versions.length - 1];
        }
    }

    /** A router over {@code engine} whose shadow executor holds at most {@code shadowQueue} waiting requests. */
    public DeploymentRouter(InferenceEngine engine, int shadowQueue) {
        this.engine = engine;
        this.shadows = new ThreadPoolExecutor(
                1,
                1,
                0,
                TimeUnit.MILLISECONDS,
                new ArrayBlockingQueue<>(shadowQueue),
                r -> {
                    Thread t = new Thread(r, "cairn-shadow");
                    t.setDaemon(true);
                    return t;
                },
                (r, executor) -> shadowDropped.incrementAndGet());
    }

    /** Whether {@code name} is a deployment this router serves. */
    public boolean serves(String name) {
        return tables.containsKey(name);
    }

    /**
     * Predicts {@code request} (whose model is the deployment's name) with the version the routing
     * picks, keyed by {@code routingKey} when it is not empty, and mirrors it to the shadows.
     */
    public InferenceResponse infer(InferenceRequest request, String routingKey) {
        String name = request.model();
        Table table = tables.get(name);
        if (table == null) {
            throw CairnException.notFound("deployment '" + name + "' does not exist");
        }
        InferenceRequest routed = request.withVersion(table.pick(bucket(routingKey)));
        mirror(name, routed, table.shadows());
        return engine.infer(routed, name);
    }

    /** Requests handed to shadows so far. */
    public long mirrored() {
        return mirrored.get();
    }

    /** Shadow requests dropped because the shadow queue was full. */
    public long shadowDropped() {
        return shadowDropped.get();
    }

    void install(String name, Routing routing) {
        tables.put(name, Table.of(routing));
    }

    private void mirror(String name, InferenceRequest request, List<TrafficSplit> targets) {
        for (TrafficSplit shadow : targets) {
            if (ThreadLocalRandom.current().nextInt(100) >= shadow.weight()) {
                continue;
            }
            try {
                shadows.execute(() -> shadowCall(name, request.withVersion(shadow.version())));
                mirrored.incrementAndGet();
            } catch (RejectedExecutionException e) {
                shadowDropped.incrementAndGet();
            }
        }
    }

    private void shadowCall(String name, InferenceRequest request) {
        try {
            engine.infer(request, name + SHADOW_SUFFIX);
        } catch (RuntimeException e) {
            // A shadow's failure is its own: it is in the inference log, never in the client's answer.
            LOG.debug("shadow {} of {} failed: {}", request.version(), name, e.getMessage());
        }
    }

    /** A bucket in [0, 100): from the key's hash when there is a key, so the same key always picks the same version. */
    static int bucket(String routingKey) {
        if (routingKey.isEmpty()) {
            return ThreadLocalRandom.current().nextInt(100);
        }
        long h = 0xcbf29ce484222325L; // FNV-1a 64, then a murmur3 finalizer to spread similar keys
        for (byte b : routingKey.getBytes(StandardCharsets.UTF_8)) {
            h = (h ^ (b & 0xff)) * 0x100000001b3L;
        }
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        h ^= h >>> 33;
        return (int) Long.remainderUnsigned(h, 100);
    }

    /** Stops the shadow executor; queued shadow requests are dropped. */
    @Override
    public void close() {
        shadows.shutdownNow();
    }
}
