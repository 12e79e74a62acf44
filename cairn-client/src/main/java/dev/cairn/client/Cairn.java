package dev.cairn.client;

import java.net.URI;
import java.util.List;

/**
 * A connection to a Cairn server (or any server speaking MLflow's tracking REST API): the entry
 * point of the Java SDK.
 *
 * <pre>{@code
 * try (Cairn cairn = Cairn.connect("http://127.0.0.1:5000");
 *         ActiveRun run = cairn.experiment("flights").startRun("baseline")) {
 *     run.logParam("max_depth", "6");
 *     run.logMetric("rmse", 12.5, 1);
 * }
 * }</pre>
 *
 * <p>Thread-safe. Logged values are sent in the background by one thread per client;
 * {@link #close()} sends what is left and stops it.
 */
public final class Cairn implements AutoCloseable {
    private final RestTransport transport;
    private final LogSender sender;
    private final Experiments experiments;
    private final Runs runs;

    private Cairn(RestTransport transport, ClientOptions options) {
        this.transport = transport;
        this.sender = new LogSender(transport, options.queueCapacity());
        this.experiments = new Experiments(transport);
        this.runs = new Runs(transport, experiments);
    }

    /** Connects to the server at {@code url}, e.g. {@code http://127.0.0.1:5000}, with default options. */
    public static Cairn connect(String url) {
        return connect(url, ClientOptions.defaults());
    }

    public static Cairn connect(String url, ClientOptions options) {
        return new Cairn(new RestTransport(RestTransport.parseBase(url), options), options);
    }

    /** The server this client talks to. */
    public URI trackingUri() {
        return transport.base();
    }

    /** The experiment called {@code name}, created if it does not exist yet. */
    public Experiment experiment(String name) {
        return new Experiment(this, experiments.getOrCreate(name));
    }

    /**
     * Continues logging to an existing run, for example the one a pipeline step is given in
     * {@code CAIRN_RUN_ID}; the run is RUNNING again until the returned handle is closed.
     */
    public ActiveRun resumeRun(String runId) {
        return ActiveRun.resume(this, runs.get(runId).info());
    }

    /** Listing, creating and deleting experiments. */
    public Experiments experiments() {
        return experiments;
    }

    /** Reading, searching and deleting runs. */
    public Runs runs() {
        return runs;
    }

    /**
     * Waits until everything logged so far through this client has been sent, then throws the
     * first refusal the server gave to any of it (the others as suppressed exceptions).
     */
    public void flush() {
        sender.flush();
        throwFailures(sender.takeFailures());
    }

    /** Flushes, then stops the sender thread. Runs still open are left as they are on the server. */
    @Override
    public void close() {
        sender.close();
        throwFailures(sender.takeFailures());
    }

    RestTransport transport() {
        return transport;
    }

    LogSender sender() {
        return sender;
    }

    private static void throwFailures(List<CairnClientException> failures) {
        if (failures.isEmpty()) {
            return;
        }
        CairnClientException first = failures.get(0);
        failures.subList(1, failures.size()).forEach(first::addSuppressed);
        throw first;
    }
}
