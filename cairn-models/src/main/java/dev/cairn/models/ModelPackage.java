package dev.cairn.models;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.cairn.core.CairnException;
import dev.cairn.core.ErrorCode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Writes and verifies model package directories: the flavor's files plus {@code cairn-model.json}.
 * The content hash is SHA-256 over the sorted lines {@code path NUL file-sha256 LF}, so it depends on
 * what the files hold and nothing else.
 */
public final class ModelPackage {
    /** The manifest file name. */
    public static final String MANIFEST = "cairn-model.json";
    /** The manifest format this code writes and reads. */
    public static final int FORMAT_VERSION = 1;

    static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private ModelPackage() {}

    /**
     * Hashes the files already in {@code directory} and writes the manifest of {@code flavor} for them.
     *
     * @return the manifest as written
     */
    public static ModelManifest seal(
            Path directory,
            String flavor,
            Map<String, String> flavorOptions,
            Map<String, String> requirements,
            Signature signature,
            ModelSpec spec) {
        Map<String, String> files = hashFiles(directory);
        var metadata = new TreeMap<>(spec.metadata());
        metadata.putIfAbsent("created_at", java.time.Instant.now().toString());
        var manifest = new ModelManifest(
                FORMAT_VERSION,
                flavor,
                flavorOptions,
                signature,
                TensorJson.writeExample(spec.inputExample()),
                requirements,
                spec.source(),
                files,
                contentHash(files),
                metadata);
        try {
            Files.writeString(directory.resolve(MANIFEST), JSON.writeValueAsString(manifest));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + directory.resolve(MANIFEST), e);
        }
        return manifest;
    }

    /**
     * Reads and verifies the manifest of the package in {@code directory}: a known format version,
     * every listed file present with its hash, and a content hash that matches the list.
     */
    public static ModelManifest read(Path directory) {
        Path file = directory.resolve(MANIFEST);
        ModelManifest manifest = parse(file);
        for (Map.Entry<String, String> entry : manifest.files().entrySet()) {
            Path path = resolveInside(directory, entry.getKey(), file);
            String actual;
            try {
                actual = fileHash(path);
            } catch (NoSuchFileException e) {
                throw corrupt(file, "lists '" + entry.getKey() + "' but " + path + " is missing");
            } catch (IOException e) {
                throw corrupt(file, "cannot read '" + entry.getKey() + "': " + e.getMessage());
            }
            if (!actual.equals(entry.getValue())) {
                throw corrupt(
                        file,
                        "file '" + entry.getKey() + "' has SHA-256 " + actual + " but the manifest says "
                                + entry.getValue());
            }
        }
        String expected = contentHash(manifest.files());
        if (!expected.equals(manifest.contentHash())) {
            throw corrupt(file, "content_hash is '" + manifest.contentHash() + "' but the files hash to " + expected);
        }
        return manifest;
    }

    /** The content hash of the package files in {@code directory} (the manifest excluded). */
    public static String contentHash(Path directory) {
        return contentHash(hashFiles(directory));
    }

    private static ModelManifest parse(Path file) {
        JsonNode tree;
        try {
            tree = JSON.readTree(file.toFile());
        } catch (JsonProcessingException e) {
            throw corrupt(file, "is not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw corrupt(file, "cannot be read (" + e.getMessage() + "); is this a model package directory?");
        }
        JsonNode version = tree.path("format_version");
        if (!version.isInt()) {
            throw corrupt(file, "has no integer format_version");
        }
        if (version.intValue() != FORMAT_VERSION) {
            throw corrupt(
                    file,
                    "has format_version " + version.intValue() + "; this Cairn reads format_version " + FORMAT_VERSION);
        }
        try {
            return JSON.treeToValue(tree, ModelManifest.class);
        } catch (JsonProcessingException | CairnException e) {
            throw corrupt(file, "is not a valid manifest: " + e.getMessage());
        }
    }

    private static Path resolveInside(Path directory, String relative, Path manifest) {
        Path base = directory.toAbsolutePath().normalize();
        Path path = base.resolve(relative).normalize();
        if (!path.startsWith(base) || relative.isEmpty()) {
            throw corrupt(manifest, "lists a file outside the package: '" + relative + "'");
        }
        return path;
    }

    private static Map<String, String> hashFiles(Path directory) {
        var files = new TreeMap<String, String>();
        try (Stream<Path> walk = Files.walk(directory)) {
            for (Path path : (Iterable<Path>) walk::iterator) {
                String relative = directory.relativize(path).toString().replace('\\', '/');
                if (Files.isRegularFile(path) && !relative.equals(MANIFEST)) {
                    files.put(relative, fileHash(path));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot hash the files of " + directory, e);
        }
        return files;
    }

    private static String contentHash(Map<String, String> files) {
        MessageDigest digest = sha256();
        new TreeMap<>(files).forEach((path, hash) -> {
            digest.update(path.getBytes(StandardCharsets.UTF_8));
            digest.update((byte) 0);
            digest.update(hash.getBytes(StandardCharsets.US_ASCII));
            digest.update((byte) '\n');
        });
        return HexFormat.of().formatHex(digest.digest());
    }

    private static String fileHash(Path path) throws IOException {
        MessageDigest digest = sha256();
        try (InputStream in = new DigestInputStream(Files.newInputStream(path), digest)) {
            in.transferTo(java.io.OutputStream.nullOutputStream());
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM ships SHA-256", e);
        }
    }

    private static CairnException corrupt(Path file, String what) {
        return new CairnException(ErrorCode.INVALID_STATE, "model package " + file + " " + what);
    }
}
