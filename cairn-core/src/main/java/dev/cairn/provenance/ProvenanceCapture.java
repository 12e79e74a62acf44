package dev.cairn.provenance;

import dev.cairn.core.CairnException;
import dev.cairn.core.ErrorCode;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Captures the {@link Provenance} of a run started in a working directory. Git runs as a
 * subprocess; a directory outside any git working tree (or a machine without git) gives a
 * {@link CodeVersion.None} that says why, never an exception.
 */
public final class ProvenanceCapture {
    /** Untracked files larger than this are listed but left out of the diff (data, not code). */
    public static final long MAX_UNTRACKED_FILE_BYTES = 16L << 20;

    private static final long GIT_TIMEOUT_SECONDS = 120;
    private static final Map<String, Dependency> JAR_DIGESTS = new ConcurrentHashMap<>();

    private ProvenanceCapture() {}

    /** Captures everything for a run about to start in {@code workingDirectory}. */
    public static CapturedProvenance capture(Path workingDirectory, Map<String, Long> seeds, List<String> commandLine) {
        ByteArrayOutputStream diff = new ByteArrayOutputStream();
        CodeVersion code = codeVersion(workingDirectory, diff);
        Provenance provenance = new Provenance(
                code, Environment.current(), classpathDependencies(), new java.util.TreeMap<>(seeds), commandLine);
        return new CapturedProvenance(provenance, diff.toByteArray());
    }

    /** Captures for a run of this JVM: its working directory and its own command line. */
    public static CapturedProvenance captureCurrentProcess(Map<String, Long> seeds) {
        return capture(Path.of("").toAbsolutePath(), seeds, currentCommandLine());
    }

    /** This JVM's command line: the executable and its arguments, as far as the OS tells. */
    public static List<String> currentCommandLine() {
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
        List<Dependency> deps = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path", "").split(File.pathSeparator)) {
            Path path = Path.of(entry);
            if (!entry.isEmpty() && Files.isRegularFile(path)) {
                deps.add(JAR_DIGESTS.computeIfAbsent(entry, e -> digestJar(path)));
            }
        }
        return deps;
    }

    private static Dependency digestJar(Path jar) {
        try (InputStream in = new DigestInputStream(Files.newInputStream(jar), sha256Digest())) {
            MessageDigest digest = ((DigestInputStream) in).getMessageDigest();
            long size = in.transferTo(java.io.OutputStream.nullOutputStream());
            return new Dependency(jar.getFileName().toString(), HexFormat.of().formatHex(digest.digest()), size);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read classpath entry " + jar, e);
        }
    }

    static String sha256(byte[] content) {
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
            throw new CairnException(ErrorCode.INTERNAL_ERROR, what + " failed with exit code " + result.exit);
        }
        return result.out;
    }

    private static GitResult run(Path directory, String... args) {
        try {
            return git(directory, args);
        } catch (IOException e) {
            throw new CairnException(ErrorCode.INTERNAL_ERROR, "git failed in " + directory + ": " + e.getMessage(), e);
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
