package dev.cairn.provenance;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Jar digests remembered across JVMs in {@code $CAIRN_HOME/cache/jar-digests.tsv} (or
 * {@code ~/.cairn}), keyed by path, size and modification time as build tools key their caches:
 * without it, every new JVM's first run would read the whole classpath again (hundreds of MB for a
 * full distribution, seconds of work). The file is a cache: unreadable lines are ignored, and a
 * failure to write it only costs time.
 */
final class JarDigests {
    private final Path file;
    private final Map<String, Dependency> known = new ConcurrentHashMap<>();
    private boolean loaded;

    JarDigests(Path file) {
        this.file = file;
    }

    static Path defaultFile() {
        String home = System.getenv("CAIRN_HOME");
        Path base =
                home != null && !home.isBlank() ? Path.of(home) : Path.of(System.getProperty("user.home"), ".cairn");
        return base.resolve("cache").resolve("jar-digests.tsv");
    }

    Dependency digest(Path jar) {
        String key = key(jar);
        load();
        Dependency cached = known.get(key);
        if (cached != null) {
            return cached;
        }
        Dependency computed = compute(jar);
        known.put(key, computed);
        remember(key, computed);
        return computed;
    }

    private synchronized void load() {
        if (loaded) {
            return;
        }
        loaded = true;
        List<String> lines;
        try {
            lines = Files.exists(file) ? Files.readAllLines(file, StandardCharsets.UTF_8) : List.of();
        } catch (IOException | UncheckedIOException e) {
            return;
        }
        for (String line : lines) {
            String[] f = line.split("\t", 4);
            if (f.length == 4 && f[2].matches("[0-9a-f]{64}")) {
                try {
                    Path path = Path.of(f[3]);
                    known.put(
                            f[3] + "\0" + f[0] + "\0" + f[1],
                            new Dependency(path.getFileName().toString(), f[2], Long.parseLong(f[0])));
                } catch (RuntimeException e) {
                    // a torn or foreign line: skip it
                }
            }
        }
    }

    private synchronized void remember(String key, Dependency d) {
        String[] parts = key.split("\0");
        String line = parts[1] + "\t" + parts[2] + "\t" + d.sha256() + "\t" + parts[0] + "\n";
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, line, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException | UnsupportedOperationException e) {
            // only a cache: the next JVM digests this jar again
        }
    }

    // A jar rewritten in place (a rebuilt module) gets a new size or time, hence a new key.
    static String key(Path jar) {
        Path absolute = jar.toAbsolutePath().normalize();
        try {
            return absolute + "\0" + Files.size(absolute) + "\0"
                    + Files.getLastModifiedTime(absolute).toMillis();
        } catch (IOException e) {
            return absolute + "\0-1\0-1";
        }
    }

    private static Dependency compute(Path jar) {
        try (DigestInputStream in = new DigestInputStream(Files.newInputStream(jar), sha256())) {
            long size = in.transferTo(java.io.OutputStream.nullOutputStream());
            return new Dependency(
                    jar.getFileName().toString(),
                    HexFormat.of().formatHex(in.getMessageDigest().digest()),
                    size);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read classpath entry " + jar, e);
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
