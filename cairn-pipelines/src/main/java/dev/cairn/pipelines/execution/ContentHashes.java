package dev.cairn.pipelines.execution;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

/**
 * Content hashes of files and directories. A directory is hashed as its manifest: one line
 * {@code <sha256> <size> <path>} per regular file, sorted by relative path, so that names and
 * modification times of the directory itself never matter, only the files in it.
 */
final class ContentHashes {
    private ContentHashes() {}

    /** One file of a directory manifest. */
    record Entry(String path, String sha256, long size) {}

    static String ofPath(Path path) {
        return Files.isDirectory(path) ? sha256(manifestText(manifest(path))) : ofFile(path);
    }

    static String ofFile(Path file) {
        MessageDigest digest = digest();
        byte[] buffer = new byte[64 * 1024];
        try (InputStream in = Files.newInputStream(file)) {
            for (int n; (n = in.read(buffer)) > 0; ) {
                digest.update(buffer, 0, n);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    static List<Entry> manifest(Path dir) {
        List<Entry> entries = new ArrayList<>();
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path file : files.filter(Files::isRegularFile).sorted().toList()) {
                String relative = dir.relativize(file).toString().replace('\\', '/');
                entries.add(new Entry(relative, ofFile(file), Files.size(file)));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir, e);
        }
        entries.sort((a, b) -> a.path().compareTo(b.path()));
        return entries;
    }

    static String manifestText(List<Entry> entries) {
        StringBuilder text = new StringBuilder();
        entries.forEach(e -> text.append(e.sha256())
                .append(' ')
                .append(e.size())
                .append(' ')
                .append(e.path())
                .append('\n'));
        return text.toString();
    }

    static List<Entry> parseManifest(String text) {
        List<Entry> entries = new ArrayList<>();
        text.lines().filter(l -> !l.isEmpty()).forEach(line -> {
            String[] parts = line.split(" ", 3);
            entries.add(new Entry(parts[2], parts[0], Long.parseLong(parts[1])));
        });
        return entries;
    }

    static String sha256(String text) {
        return sha256(text.getBytes(StandardCharsets.UTF_8));
    }

    static String sha256(byte[] bytes) {
        return HexFormat.of().formatHex(digest().digest(bytes));
    }

    private static MessageDigest digest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
