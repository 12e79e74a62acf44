package dev.cairn.pipelines.schedule;

import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;
import dev.cairn.core.CairnException;
import dev.cairn.pipelines.Pipeline;
import dev.cairn.pipelines.execution.PipelineEngine;
import dev.cairn.pipelines.execution.PipelineRunRecord;
import java.time.Clock;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Starts pipelines on their cron {@code schedule} (five fields, as crontab). Meant to live inside
 * {@code cairn server}: {@link #start()} checks every {@code tick} which schedules came due; a run
 * that is due while the previous one is still going is skipped, and missed times are not replayed.
 */
public final class PipelineScheduler implements AutoCloseable {
    private static final CronParser CRON = new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.UNIX));

    private final Launcher launcher;
    private final Clock clock;
    private final Map<String, Entry> entries = new ConcurrentHashMap<>();
    private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "pipeline-scheduler");
        t.setDaemon(true);
        return t;
    });

    private record Entry(Pipeline pipeline, ExecutionTime times, ZonedDateTime next) {}

    public PipelineScheduler(PipelineEngine engine, Executor executor, Clock clock) {
        this.launcher = new Launcher(engine, executor);
        this.clock = clock;
    }

    /** Schedules a pipeline by its {@code schedule}; registering the same name again replaces it. */
    public void register(Pipeline pipeline) {
        String cron = pipeline.schedule()
                .orElseThrow(() -> CairnException.invalid("pipeline '" + pipeline.name() + "' has no schedule"));
        ExecutionTime times = ExecutionTime.forCron(CRON.parse(cron));
        ZonedDateTime now = ZonedDateTime.now(clock);
        entries.put(pipeline.name(), new Entry(pipeline, times, nextAfter(times, now, pipeline.name())));
    }

    public void unregister(String pipelineName) {
        entries.remove(pipelineName);
    }

    /** When a pipeline starts next, if it is scheduled. */
    public Optional<ZonedDateTime> next(String pipelineName) {
        return Optional.ofNullable(entries.get(pipelineName)).map(Entry::next);
    }

    /** Starts every pipeline whose next time is at or before {@code now}; returns their executions. */
    public List<CompletableFuture<PipelineRunRecord>> runDue(ZonedDateTime now) {
        List<CompletableFuture<PipelineRunRecord>> started = new ArrayList<>();
        for (Entry e : entries.values()) {
            if (!e.next().isAfter(now)) {
                String name = e.pipeline().name();
                entries.computeIfPresent(
                        name, (k, old) -> new Entry(old.pipeline(), old.times(), nextAfter(old.times(), now, k)));
                TriggerEvent event =
                        new TriggerEvent.Scheduled(e.pipeline().schedule().orElseThrow(), e.next());
                launcher.launch(e.pipeline(), event).ifPresent(started::add);
            }
        }
        return started;
    }

    /** Checks for due schedules every {@code tick} on a background thread until closed. */
    public void start(Duration tick) {
        ticker.scheduleWithFixedDelay(
                () -> runDue(ZonedDateTime.now(clock)), tick.toMillis(), tick.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** {@link #start(Duration)} with a one-second tick. */
    public void start() {
        start(Duration.ofSeconds(1));
    }

    @Override
    public void close() {
        ticker.shutdownNow();
    }

    private static ZonedDateTime nextAfter(ExecutionTime times, ZonedDateTime now, String name) {
        return times.nextExecution(now)
                .orElseThrow(() -> CairnException.invalid("the schedule of pipeline '" + name + "' never comes due"));
    }
}
