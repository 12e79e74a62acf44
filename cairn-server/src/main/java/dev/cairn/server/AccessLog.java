package dev.cairn.server;

import static net.logstash.logback.argument.StructuredArguments.kv;

import io.javalin.http.Context;
import io.javalin.http.RequestLogger;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One log line and one timer sample per request, tagged with the matched route, never the raw path. */
final class AccessLog implements RequestLogger {
    private static final Logger LOG = LoggerFactory.getLogger("dev.cairn.server.access");

    private final MeterRegistry registry;
    /** The timer of each (method, route, status): registering one per request costs more than the request. */
    private final Map<TimerKey, Timer> timers = new ConcurrentHashMap<>();

    AccessLog(MeterRegistry registry) {
        this.registry = registry;
    }

    private record TimerKey(String method, String route, int status) {}

    @Override
    public void handle(Context ctx, Float millis) {
        record(ctx.method().name(), ctx.path(), route(ctx), ctx.statusCode(), (long) (millis * 1_000_000L));
    }

    /** The line and the timer sample of one request; {@link DirectPosts} calls it for those it answers. */
    void record(String method, String path, String route, int status, long nanos) {
        timers.computeIfAbsent(new TimerKey(method, route, status), this::timer).record(nanos, TimeUnit.NANOSECONDS);
        LOG.info(
                "{} {} {} {}",
                kv("method", method),
                kv("path", path),
                kv("status", status),
                kv("duration_ms", Math.round(nanos / 10_000.0) / 100.0));
    }

    private Timer timer(TimerKey key) {
        return Timer.builder("http.server.requests")
                .description("HTTP requests by route")
                .tag("method", key.method())
                .tag("route", key.route())
                .tag("status", Integer.toString(key.status()))
                .register(registry);
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
