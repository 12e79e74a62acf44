package dev.cairn.deployments;

import dev.cairn.store.Database;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Measures each canary from the inference log (its deployment and version, since the last change
 * and within the policy's window) and rolls it back or promotes it; runs on one scheduled thread
 * and reads at most {@link #MAX_ROWS} rows per canary.
 */
final class CanaryJudge implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(CanaryJudge.class);
    static final int MAX_ROWS = 100_000;
    static final String ACTOR = "cairn-canary";

    private final Database database;
    private final Deployments deployments;
    private final ScheduledExecutorService schedule;

    CanaryJudge(Database database, Deployments deployments, Duration interval) {
        this.database = database;
        this.deployments = deployments;
        this.schedule = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "cairn-canary-judge");
            t.setDaemon(true);
            return t;
        });
        if (!interval.isZero()) {
            schedule.scheduleWithFixedDelay(
                    this::judgeQuietly, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    private void judgeQuietly() {
        try {
            judgeAll();
        } catch (RuntimeException e) {
            LOG.warn("canary judging failed", e);
        }
    }

    /** Judges every canary of every deployment now. */
    List<CanaryVerdict> judgeAll() {
        var verdicts = new ArrayList<CanaryVerdict>();
        for (Deployment d : deployments.list()) {
            if (d.status() == DeploymentStatus.CANARY) {
                verdicts.addAll(judge(d));
            }
        }
        return verdicts;
    }

    List<CanaryVerdict> judge(Deployment d) {
        CanaryPolicy policy = d.routing().policy();
        var verdicts = new ArrayList<CanaryVerdict>();
        for (TrafficSplit canary : d.routing().canaries()) {
            CanaryVerdict measured = measure(d, canary.version(), policy);
            CanaryVerdict.Outcome outcome = decide(measured, policy);
            verdicts.add(new CanaryVerdict(
                    measured.deployment(),
                    measured.version(),
                    measured.requests(),
                    measured.errorRate(),
                    measured.p99Millis(),
                    outcome));
            if (outcome == CanaryVerdict.Outcome.ROLLED_BACK) {
                deployments.autoRollback(d, measured.describe(policy));
                break;
            }
            if (outcome == CanaryVerdict.Outcome.PROMOTED) {
                deployments.autoPromote(d, canary.version(), measured.describe(policy));
                break;
            }
        }
        return verdicts;
    }

    private static CanaryVerdict.Outcome decide(CanaryVerdict m, CanaryPolicy policy) {
        if (m.requests() < policy.minRequests()) {
            return CanaryVerdict.Outcome.WAITING;
        }
        boolean breached = m.errorRate() > policy.maxErrorRate() || m.p99Millis() > policy.maxP99Millis();
        if (breached) {
            return policy.autoRollback() ? CanaryVerdict.Outcome.ROLLED_BACK : CanaryVerdict.Outcome.PASSING;
        }
        if (policy.promoteAfter() > 0 && m.requests() >= policy.promoteAfter()) {
            return CanaryVerdict.Outcome.PROMOTED;
        }
        return CanaryVerdict.Outcome.PASSING;
    }

    /** Error rate and nearest-rank p99 of {@code version}'s requests since the last change, within the window. */
    private CanaryVerdict measure(Deployment d, String version, CanaryPolicy policy) {
        Instant windowStart = Instant.now().minusSeconds(policy.windowSeconds());
        Instant from = d.updatedAt().isAfter(windowStart) ? d.updatedAt() : windowStart;
        List<Sample> rows = database.jdbi().withHandle(h -> h.createQuery(
                        "SELECT status, latency_us FROM inference_log"
                                + " WHERE deployment = ? AND model_version = ? AND logged_at >= ? ORDER BY logged_at DESC LIMIT ?")
                .bind(0, d.name())
                .bind(1, version)
                .bind(2, from.toEpochMilli())
                .bind(3, MAX_ROWS)
                .map((rs, ctx) -> new Sample(rs.getString("status"), rs.getLong("latency_us")))
                .list());
        long errors = rows.stream().filter(s -> !s.status().equals("OK")).count();
        long[] latencies = rows.stream().mapToLong(Sample::latencyMicros).toArray();
        Arrays.sort(latencies);
        double p99 = latencies.length == 0 ? 0 : latencies[(int) Math.ceil(0.99 * latencies.length) - 1] / 1000.0;
        double rate = rows.isEmpty() ? 0 : (double) errors / rows.size();
        return new CanaryVerdict(d.name(), version, rows.size(), rate, p99, CanaryVerdict.Outcome.WAITING);
    }

    private record Sample(String status, long latencyMicros) {}

    @Override
    public void close() {
        schedule.shutdownNow();
    }
}
