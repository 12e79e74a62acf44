package dev.cairn.cli;

import dev.cairn.server.CairnServer;
import dev.cairn.server.ServerConfig;
import dev.cairn.store.Database;
import java.io.PrintWriter;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A server that a command runs in the foreground: started, announced, then kept until Ctrl-C,
 * SIGTERM or an interrupt of the command's thread, and closed cleanly in every case.
 */
public final class ForegroundServer implements AutoCloseable {
    private final CairnServer server;
    private final String url;
    private final AtomicBoolean closed = new AtomicBoolean();

    private ForegroundServer(CairnServer server, String url) {
        this.server = server;
        this.url = url;
    }

    /** Starts a server for {@code config}; the caller closes it, or {@link #serveUntilStopped serves until stopped}. */
    public static ForegroundServer start(ServerConfig config) {
        CairnServer server = CairnServer.start(config);
        return new ForegroundServer(server, "http://" + urlHost(config.host()) + ":" + server.port());
    }

    /** Starts a server over an already open {@code database}, which the server closes when it closes. */
    public static ForegroundServer start(ServerConfig config, Database database) {
        CairnServer server = CairnServer.start(config, database);
        return new ForegroundServer(server, "http://" + urlHost(config.host()) + ":" + server.port());
    }

    /** The base URL clients use, e.g. {@code http://127.0.0.1:5000}. */
    public String url() {
        return url;
    }

    public CairnServer server() {
        return server;
    }

    /**
     * Blocks until the JVM is asked to stop (Ctrl-C, SIGTERM) or this thread is interrupted, and
     * closes the server either way so that the store is left consistent.
     */
    public void serveUntilStopped(PrintWriter out) {
        CountDownLatch closed = new CountDownLatch(1);
        Thread hook = new Thread(
                () -> {
                    close(out);
                    closed.countDown();
                },
                "cairn-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            closed.await();
        } catch (InterruptedException e) {
            // close with the interrupt flag clear, or the server's own waits would abort; then restore it
            Runtime.getRuntime().removeShutdownHook(hook);
            close(out);
            Thread.currentThread().interrupt();
        }
    }

    /** Stops the server; later calls do nothing. */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            server.close();
        }
    }

    private void close(PrintWriter out) {
        if (closed.get()) {
            return;
        }
        out.println("Stopping the Cairn server at " + url + " ...");
        out.flush();
        close();
        out.println("Stopped.");
        out.flush();
    }

    private static String urlHost(String host) {
        // a bare IPv6 literal needs brackets in a URL
        return host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
    }
}
