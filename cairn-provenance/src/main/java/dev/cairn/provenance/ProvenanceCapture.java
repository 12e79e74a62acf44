package dev.cairn.provenance;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.jar.Manifest;

/**
 * Captures the {@link Provenance} of a run started in a working directory. Git runs as a
 * subprocess; a directory outside any git working tree (or a machine without git) gives a
 * {@link CodeVersion.None} that says why, never an exception.
 */
public final class ProvenanceCapture {
    /** Untracked files larger than this are listed but left out of the diff (data, not code). */
    public static final long MAX_UNTRACKED_FILE_BYTES = 16L << 20;

    private static final long GIT_TIMEOUT_SECONDS = 120;
    private static final JarDigests JAR_DIGESTS = new JarDigests(JarDigests.defaultFile());
    private static final Map<String, List<Path>> MANIFEST_CLASS_PATHS = new ConcurrentHashMap<>();

    private ProvenanceCapture() {}

    /** Captures everything for a run about to start in {@code workingDirectory}. */
    public static CapturedProvenance capture(Path workingDirectory, Map<String, Long> seeds, EntryPoint entryPoint) {
        ByteArrayOutputStream diff = new ByteArrayOutputStream();
        CodeVersion code = codeVersion(workingDirectory, diff);
        Provenance provenance = new Provenance(
                code, Environment.current(), classpathDependencies(), new java.util.TreeMap<>(seeds), entryPoint);
        return new CapturedProvenance(provenance, diff.toByteArray());
    }

    /** Captures for a run of this JVM: its working directory and its own command line. */
    public static CapturedProvenance captureCurrentProcess(Map<String, Long> seeds) {
        return capture(Path.of("").toAbsolutePath(), seeds, EntryPoint.process(currentCommandLine()));
    }

    /**
     * This JVM's command line: the executable and its arguments. On Linux it is read whole from
     * {@code /proc/self/cmdline}, as {@link ProcessHandle.Info#arguments()} cuts long command lines
     * (a long classpath) short; elsewhere it is as far as the OS tells.
     */
    public static List<String> currentCommandLine() {
        Path proc = Path.of("/proc/self/cmdline");
        if (Files.isReadable(proc)) {
            try {
                List<String> command = new ArrayList<>(
                        List.of(new String(Files.readAllBytes(proc), StandardCharsets.UTF_8).split("\0")));
                ProcessHandle.current().info().command().ifPresent(exe -> command.set(0, exe));
                return command;
            } catch (IOException | UnsupportedOperationException e) {
                // fall through to what the process API knows
            }
        }
        ProcessHandle.Info info = ProcessHandle.current().info();
        List<String> command = new ArrayList<>();
        info.command().ifPresent(command::add);
        info.arguments().ifPresent(args -> command.addAll(List.of(args)));
        return command;
    }

    /** The code version of {@code directory}, writing the uncommitted diff to {@code diffOut}. */
    static CodeVersion codeVersion(Path directory, ByteArrayOutputStream diffOut) {
        if (!Files.isDirectory(directory)) {
            return new CodeVersion.None("working directory " + directory + " does not exist");
        }
        GitResult top;
        try {
            top = git(directory, "rev-parse", "--show-toplevel");
        } catch (IOException e) {
            return new CodeVersion.None("no code version: git is not available (" + e.getMessage() + ")");
        }
        if (top.exit != 0) {
            return new CodeVersion.None("no code version: " + directory + " is not inside a git working tree");
        }
        Path root = Path.of(top.text().strip());
        GitResult head = run(root, "rev-parse", "--verify", "HEAD");
        if (head.exit != 0) {
            return new CodeVersion.None("no code version: the git repository at " + root + " has no commit yet");
        }
        byte[] tracked = require(run(root, "diff", "HEAD", "--binary", "--no-color", "--no-ext-diff"), "git diff HEAD");
        diffOut.writeBytes(tracked);
        List<String> untracked = untrackedFiles(root);
        for (String file : untracked) {
            diffOut.writeBytes(untrackedDiff(root, file));
        }
        byte[] diff = diffOut.toByteArray();
        GitResult remote = run(root, "config", "--get", "remote.origin.url");
        return new CodeVersion.Git(
                head.text().strip(),
                diff.length > 0,
                sha256(diff),
                untracked,
                root.toString(),
                subdirectory(root, directory),
                remote.exit == 0 ? remote.text().strip() : "");
    }

    private static List<String> untrackedFiles(Path root) {
        byte[] out = require(run(root, "ls-files", "--others", "--exclude-standard", "-z"), "git ls-files");
        List<String> files = new ArrayList<>();
        for (String name : new String(out, StandardCharsets.UTF_8).split("\0")) {
            if (!name.isEmpty()) {
                files.add(name);
            }
        }
        files.sort(String::compareTo);
        return files;
    }

    private static byte[] untrackedDiff(Path root, String file) {
        try {
            if (Files.size(root.resolve(file)) > MAX_UNTRACKED_FILE_BYTES) {
                return new byte[0];
            }
        } catch (IOException e) {
            return new byte[0]; // vanished since it was listed: nothing to record
        }
        // --no-index exits 1 when the files differ, which is always the case against /dev/null.
        GitResult result = run(root, "diff", "--binary", "--no-color", "--no-index", "--", "/dev/null", file);
        return result.exit <= 1 ? result.out : new byte[0];
    }

    private static String subdirectory(Path root, Path directory) {
        try {
            String relative =
                    root.toRealPath().relativize(directory.toRealPath()).toString();
            return relative.replace(File.separatorChar, '/');
        } catch (IOException | IllegalArgumentException e) {
            return "";
        }
    }

    /** The jars on this JVM's classpath with their digests, computed once per jar and JVM. */
    public static List<Dependency> classpathDependencies() {
        return dependencies(List.of(System.getProperty("java.class.path", "").split(File.pathSeparator)));
    }

    /**
     * The jar files among {@code classpath} entries, and those their manifests' {@code Class-Path}
     * names (as {@code java -jar} runs them), with their digests; directories and missing entries
     * are left out.
     */
    public static List<Dependency> dependencies(List<String> classpath) {
        Set<Path> jars = new LinkedHashSet<>();
        for (String entry : classpath) {
            Path path = Path.of(entry).toAbsolutePath().normalize();
            if (!entry.isEmpty() && Files.isRegularFile(path) && jars.add(path)) {
                jars.addAll(manifestClassPath(path));
            }
        }
        List<Dependency> deps = new ArrayList<>();
        for (Path jar : jars) {
            if (Files.isRegularFile(jar)) {
                deps.add(JAR_DIGESTS.digest(jar));
            }
        }
        return deps;
    }

    private static List<Path> manifestClassPath(Path jar) {
        return MANIFEST_CLASS_PATHS.computeIfAbsent(JarDigests.key(jar), k -> readManifestClassPath(jar));
    }

    private static List<Path> readManifestClassPath(Path jar) {
        try (JarFile file = new JarFile(jar.toFile())) {
            Manifest manifest = file.getManifest();
            String value =
                    manifest == null ? null : manifest.getMainAttributes().getValue(Attributes.Name.CLASS_PATH);
            if (value == null || value.isBlank()) {
                return List.of();
            }
            List<Path> paths = new ArrayList<>();
            for (String url : value.trim().split("\\s+")) {
                URI resolved = jar.toUri().resolve(url);
                if ("file".equals(resolved.getScheme())) {
                    paths.add(Path.of(resolved).normalize());
                }
            }
            return List.copyOf(paths);
        } catch (IOException | IllegalArgumentException e) {
            return List.of(); // not a jar, or a Class-Path entry that names no file: nothing more to list
        }
    }

    /** The lower-case hex SHA-256 of {@code content}. */
    public static String sha256(byte[] content) {
        return HexFormat.of().formatHex(sha256Digest().digest(content));
    }

    private static MessageDigest sha256Digest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    private record GitResult(int exit, byte[] out) {
        String text() {
            return new String(out, StandardCharsets.UTF_8);
        }
    }

    private static byte[] require(GitResult result, String what) {
        if (result.exit != 0) {
            throw new UncheckedIOException(new IOException(what + " failed with exit code " + result.exit));
        }
        return result.out;
    }

    private static GitResult run(Path directory, String... args) {
        try {
            return git(directory, args);
        } catch (IOException e) {
            throw new UncheckedIOException("git failed in " + directory + ": " + e.getMessage(), e);
        }
    }

    private static GitResult git(Path directory, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of("git", "-C", directory.toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD);
        builder.environment().put("GIT_TERMINAL_PROMPT", "0");
        builder.environment().put("LC_ALL", "C");
        Process process = builder.start();
        process.getOutputStream().close();
        byte[] out = process.getInputStream().readAllBytes();
        try {
            if (!process.waitFor(GIT_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IOException("git " + String.join(" ", args) + " timed out");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
            throw new IOException("interrupted while waiting for git", e);
        }
        return new GitResult(process.exitValue(), out);
    }
}
