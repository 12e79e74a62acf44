package dev.cairn.server;

import static net.logstash.logback.argument.StructuredArguments.kv;

import io.javalin.http.Context;
import io.javalin.http.RequestLogger;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One log line and one timer sample per request, tagged with the matched route, never the raw path. */
public final class AccessLog implements RequestLogger {
    private static final Logger LOG = LoggerFactory.getLogger("dev.cairn.server.access");

    private final MeterRegistry registry;
    /** The timer of each (method, route, status): registering one per request costs more than the request. */
    private final Map<TimerKey, Timer> timers = new ConcurrentHashMap<>();

    public AccessLog(MeterRegistry registry) {
        this.registry = registry;
    }

    private record TimerKey(String method, String route, int status) {}

    @Override
    public void handle(Context ctx, Float millis) {
        record(ctx.method().name(), ctx.path(), route(ctx), ctx.statusCode(), (long) (millis * 1_000_000L));
    }

    /** The line and the timer sample of one request; {@link DirectPosts} calls it for those it answers. */
    void record(String method, String path, String route, int status, long nanos) {
        timers.computeIfAbsent(
                        new TimerKey(method, route, status), key -> timer(key.method(), key.route(), key.status()))
                .record(nanos, TimeUnit.NANOSECONDS);
        line(method, path, status, nanos);
    }

    /** The access-log line of one request, for a handler that keeps its own timers. */
    public void line(String method, String path, int status, long nanos) {
        LOG.info(
                "{} {} {} {}",
                kv("method", method),
                kv("path", path),
                kv("status", status),
                kv("duration_ms", Math.round(nanos / 10_000.0) / 100.0));
    }

    /** The timers of one route, for a handler on the hot path: no key is made per request. */
    public RouteTimers timers(String method, String route) {
        return new RouteTimers(method, route);
    }

    private Timer timer(String method, String route, int status) {
        return Timer.builder("http.server.requests")
                .description("HTTP requests by route")
                .tag("method", method)
                .tag("route", route)
                .tag("status", Integer.toString(status))
                .register(registry);
    }

    /** The {@code http.server.requests} timers of one method and route, registered on first use of each status. */
    public final class RouteTimers {
        private final String method;
        private final String route;
        private final AtomicReferenceArray<Timer> byStatus = new AtomicReferenceArray<>(600);

        private RouteTimers(String method, String route) {
            this.method = method;
            this.route = route;
        }

        public Timer of(int status) {
            Timer timer = byStatus.get(status);
            if (timer == null) {
                // Registering twice under a race returns the same meter.
                timer = timer(method, route, status);
                byStatus.set(status, timer);
            }
            return timer;
        }
    }

    private static String route(Context ctx) {
        try {
            return ctx.endpoint().path;
        } catch (RuntimeException e) {
            // No endpoint matched (404): one bucket, so that scanners cannot grow the metrics without bound.
            return "unmatched";
        }
    }
}
