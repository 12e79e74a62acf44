package dev.cairn.provenance;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JarDigestsTest {
    @TempDir
    Path tmp;

    @Test
    void aDigestIsRememberedAcrossInstancesUntilTheJarChanges() throws Exception {
        Path jar = tmp.resolve("lib/a.jar");
        Files.createDirectories(jar.getParent());
        Files.write(jar, new byte[] {1, 2, 3});
        Path cache = tmp.resolve("cache/jar-digests.tsv");

        Dependency first = new JarDigests(cache).digest(jar);

        assertThat(first.sha256()).isEqualTo(ProvenanceCapture.sha256(new byte[] {1, 2, 3}));
        assertThat(Files.readString(cache)).contains(first.sha256()).contains(jar.toString());
        // A second JVM's instance reads the line instead of the jar: a planted digest proves it.
        Files.writeString(cache, Files.readString(cache).replace(first.sha256(), "f".repeat(64)));
        assertThat(new JarDigests(cache).digest(jar).sha256()).isEqualTo("f".repeat(64));
        Files.write(jar, new byte[] {4, 5, 6, 7});
        assertThat(new JarDigests(cache).digest(jar).sha256())
                .isEqualTo(ProvenanceCapture.sha256(new byte[] {4, 5, 6, 7}));
    }

    @Test
    void anUnwritableCacheOnlyCostsTime() throws Exception {
        Path jar = Files.write(tmp.resolve("b.jar"), new byte[] {9});
        Path blocked = Files.writeString(tmp.resolve("not-a-dir"), "x");
        Dependency d = new JarDigests(blocked.resolve("jar-digests.tsv")).digest(jar);
        assertThat(d.sha256()).isEqualTo(ProvenanceCapture.sha256(new byte[] {9}));
        assertThat(d.size()).isEqualTo(1);
    }
}
