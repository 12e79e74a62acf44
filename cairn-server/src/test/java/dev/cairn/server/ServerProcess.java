package dev.cairn.server;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** A server in its own JVM, for tests that kill it: {@code ServerProcess <cairn home>}; writes its port to {@code <home>/port}. */
public final class ServerProcess {
    private ServerProcess() {}

    public static void main(String[] args) throws Exception {
        Path home = Path.of(args[0]);
        CairnServer server =
                CairnServer.start(ServerConfig.builder().home(home).port(0).build());
        Path tmp = home.resolve("port.tmp");
        Files.writeString(tmp, Integer.toString(server.port()));
        Files.move(tmp, home.resolve("port"), StandardCopyOption.ATOMIC_MOVE);
        // Runs until the test kills the process.
        Thread.sleep(Long.MAX_VALUE);
    }
}
