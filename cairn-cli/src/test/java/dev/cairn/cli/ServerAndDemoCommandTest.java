package dev.cairn.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.client.Cairn;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code cairn server} in-process, on free ports and temporary homes. */
@Timeout(120)
class ServerAndDemoCommandTest {
    private static final Pattern URL = Pattern.compile("listening on (http://127\\.0\\.0\\.1:\\d+)");

    @Test
    void serverServesUntilInterruptedThenStopsCleanly(@TempDir Path home) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int[] exitCode = {-1};
        Thread command = new Thread(() -> exitCode[0] = Main.run(
                new PrintStream(out, true, StandardCharsets.UTF_8),
                System.err,
                "server",
                "--port",
                "0",
                "--home",
                home.toString()));
        command.start();
        String url = awaitUrl(out);

        try (Cairn cairn = Cairn.connect(url)) {
            assertThat(cairn.experiment("served").id()).isNotEmpty();
        }
        command.interrupt();
        command.join();

        assertThat(exitCode[0]).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("Stopped.");
        assertThat(home.resolve("cairn.db")).exists();
    }

    @Test
    void serverRejectsAnInvalidStoreUrlInOneLine(@TempDir Path home) {
        CliResult result = CliResult.run("server", "--port", "0", "--home", home.toString(), "--store", "mysql://x");
        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).startsWith("cairn: ").contains("mysql://x");
        assertThat(result.err().lines()).hasSize(1);
    }

    @Test
    void storePasswordsAreNotPrinted() {
        assertThat(ServerCommand.redacted("postgresql://cairn:s3cret@db:5432/cairn"))
                .isEqualTo("postgresql://cairn:***@db:5432/cairn");
        assertThat(ServerCommand.redacted("jdbc:postgresql://db/cairn?user=cairn&password=s3cret"))
                .isEqualTo("jdbc:postgresql://db/cairn?user=cairn&password=***");
    }

    private static String awaitUrl(ByteArrayOutputStream out) throws InterruptedException {
        while (true) {
            Matcher matcher = URL.matcher(out.toString(StandardCharsets.UTF_8));
            if (matcher.find()) {
                return matcher.group(1);
            }
            Thread.sleep(20);
        }
    }
}
