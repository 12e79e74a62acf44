package dev.cairn.pipelines.execution;

import dev.cairn.pipelines.builtin.BuiltinStep;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * The code version and environment parts of step cache keys, memoized for one execution so that
 * a file or an executable is hashed once however many steps name it.
 */
final class Fingerprints {
    // Files a command names that are code rather than data it reads or writes undeclared (a log, a counter).
    private static final Pattern CODE_EXTENSION = Pattern.compile(
            "\\.(py|sh|bash|r|R|jar|java|jsh|js|mjs|ts|rb|pl|jl|scala|sc|kts|groovy|sql|lua|ipynb|awk|sed|mk)$");
    private final Path projectDir;
    private final Map<Path, String> fileHashes = new ConcurrentHashMap<>();
    private final Map<String, Map<String, Object>> executables = new ConcurrentHashMap<>();
    private volatile Map<String, Object> git;

    Fingerprints(Path projectDir) {
        this.projectDir = projectDir;
    }

    /**
     * The code a command runs: the paths listed in {@code code:} when given, else the files inside
     * the project that it names as its program or as scripts and jars (known code extensions),
     * other than its declared inputs and outputs, else the git commit and tracked-change digest of
     * the project.
     */
    Map<String, Object> codeVersion(List<String> declaredCode, List<String> argv, Path workDir, Set<Path> dataPaths) {
        Map<String, Object> files = new TreeMap<>();
        if (!declaredCode.isEmpty()) {
            for (String path : declaredCode) {
                Path p = projectDir.resolve(path).normalize();
                files.put(path, Files.exists(p) ? hash(p) : "missing");
            }
            return Map.of("files", files);
        }
        List<String> words = tokens(argv);
        for (int i = 0; i < words.size(); i++) {
            String token = words.get(i);
            Path p = workDir.resolve(token).normalize();
            boolean code = i == 0 || CODE_EXTENSION.matcher(token).find();
            if (code
                    && !token.startsWith("/")
                    && p.startsWith(projectDir)
                    && Files.isRegularFile(p)
                    && !dataPaths.contains(p)) {
                files.put(projectDir.relativize(p).toString(), hash(p));
            }
        }
        return files.isEmpty() ? Map.of("git", git()) : Map.of("files", files);
    }

    /** The code version of a built-in step: its name and implementation version. */
    static Map<String, Object> builtinVersion(BuiltinStep step) {
        return Map.of(
                "builtin",
                step.name(),
                "version",
                step.version(),
                "class",
                step.getClass().getName());
    }

    /** OS, JVM and the resolved executable a command starts. */
    Map<String, Object> environment(List<String> argv, boolean shell, Path workDir) {
        Map<String, Object> env = new LinkedHashMap<>();
        env.put(
                "os",
                System.getProperty("os.name") + " " + System.getProperty("os.arch") + " "
                        + System.getProperty("os.version"));
        env.put("jvm", System.getProperty("java.vendor") + " " + System.getProperty("java.version"));
        if (shell) {
            env.put("shell", executable("/bin/sh", workDir));
            List<String> words = tokens(argv);
            if (!words.isEmpty()) {
                env.put("executable", executable(words.get(0), workDir));
            }
        } else if (!argv.isEmpty()) {
            env.put("executable", executable(argv.get(0), workDir));
        }
        return env;
    }

    private Map<String, Object> executable(String name, Path workDir) {
        return executables.computeIfAbsent(name + "\0" + workDir, k -> resolveExecutable(name, workDir));
    }

    private static Map<String, Object> resolveExecutable(String name, Path workDir) {
        Optional<Path> found = name.contains("/") ? existing(workDir.resolve(name)) : onPath(name);
        if (found.isEmpty()) {
            return Map.of("name", name, "resolved", "not found");
        }
        try {
            Path real = found.get().toRealPath();
            return Map.of("name", name, "resolved", real.toString(), "size", Files.size(real));
        } catch (IOException e) {
            return Map.of("name", name, "resolved", found.get().toString());
        }
    }

    private static Optional<Path> onPath(String name) {
        String path = System.getenv().getOrDefault("PATH", "/usr/local/bin:/usr/bin:/bin");
        for (String dir : path.split(File.pathSeparator)) {
            Optional<Path> candidate = existing(Path.of(dir.isEmpty() ? "." : dir, name));
            if (candidate.isPresent() && Files.isExecutable(candidate.get())) {
                return candidate;
            }
        }
        return Optional.empty();
    }

    private static Optional<Path> existing(Path p) {
        return Files.isRegularFile(p) ? Optional.of(p) : Optional.empty();
    }

    private String hash(Path p) {
        return fileHashes.computeIfAbsent(p, ContentHashes::ofPath);
    }

    /** Words of a command: argv as is, a shell script split on blanks with quotes removed. */
    private static List<String> tokens(List<String> argv) {
        List<String> words = new ArrayList<>();
        for (String arg : argv) {
            for (String word : arg.split("[\\s;|&()<>]+")) {
                String w = word.replaceAll("^['\"]+|['\"]+$", "");
                if (!w.isEmpty()) {
                    words.add(w);
                }
            }
        }
        return words;
    }

    // Tracked changes only: untracked files would include the pipeline's own outputs and defeat the cache.
    private Map<String, Object> git() {
        Map<String, Object> version = git;
        if (version == null) {
            Optional<String> head = gitOutput("rev-parse", "HEAD");
            version = head.isEmpty()
                    ? Map.of("commit", "none")
                    : Map.of(
                            "commit",
                            head.get().strip(),
                            "diff",
                            ContentHashes.sha256(gitOutput("diff", "HEAD", "--binary", "--no-color", "--no-ext-diff")
                                    .orElse("")));
            git = version;
        }
        return version;
    }

    private Optional<String> gitOutput(String... args) {
        List<String> command = new ArrayList<>(List.of("git", "-C", projectDir.toString()));
        command.addAll(List.of(args));
        try {
            Process p = new ProcessBuilder(command)
                    .redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start();
            p.getOutputStream().close();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return Optional.empty();
            }
            return p.exitValue() == 0 ? Optional.of(out) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }
}
