package dev.cairn.reproduce;

import dev.cairn.core.CairnException;
import dev.cairn.core.ErrorCode;
import dev.cairn.provenance.CodeVersion;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The recorded code of a run, checked out as a git worktree of its repository at the recorded
 * commit with the recorded uncommitted diff applied, in a scratch directory that {@link #close()}
 * removes (worktree registration included), whatever happened in between.
 */
final class CodeCheckout implements AutoCloseable {
    private static final long GIT_TIMEOUT_SECONDS = 300;

    private final Path repository;
    private final Path scratch;
    private final Path worktree;
    private final String subdirectory;
    private boolean registered;

    private CodeCheckout(Path repository, Path scratch, String subdirectory) {
        this.repository = repository;
        this.scratch = scratch;
        this.worktree = scratch.resolve("code");
        this.subdirectory = subdirectory;
    }

    /** Checks out {@code code} with {@code diff} applied under a new directory in {@code scratchRoot}. */
    static CodeCheckout create(String runId, CodeVersion.Git code, byte[] diff, Path scratchRoot) {
        Path repository = Path.of(code.repositoryRoot());
        if (!Files.isDirectory(repository)) {
            throw new CairnException(
                    ErrorCode.INVALID_STATE,
                    "run " + runId + " was made from the git repository " + repository
                            + ", which no longer exists on this machine");
        }
        Path scratch = createScratch(scratchRoot);
        CodeCheckout checkout = new CodeCheckout(repository, scratch, code.subdirectory());
        try {
            checkout.addWorktree(runId, code.commit());
            if (diff.length > 0) {
                checkout.apply(runId, diff);
            }
            return checkout;
        } catch (RuntimeException e) {
            checkout.close();
            throw e;
        }
    }

    /** The root of the checked-out repository. */
    Path root() {
        return worktree;
    }

    /** The directory inside the checkout where the run was started. */
    Path workingDirectory() {
        return subdirectory.isEmpty() ? worktree : worktree.resolve(subdirectory);
    }

    /** A fresh directory for restored data and inputs, removed with the checkout. */
    Path scratch(String name) {
        try {
            return Files.createDirectories(scratch.resolve("data").resolve(name));
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "cannot create " + scratch.resolve("data").resolve(name), e);
        }
    }

    /** The recorded repository root, for mapping paths that name it. */
    Path repository() {
        return repository;
    }

    private void addWorktree(String runId, String commit) {
        Result exists = git(repository, "cat-file", "-e", commit + "^{commit}");
        if (exists.exit != 0) {
            throw new CairnException(
                    ErrorCode.INVALID_STATE,
                    "commit " + commit + " recorded by run " + runId + " is not in the repository " + repository);
        }
        Result added = git(repository, "worktree", "add", "--detach", worktree.toString(), commit);
        if (added.exit != 0) {
            throw new CairnException(
                    ErrorCode.INTERNAL_ERROR,
                    "git worktree add of commit " + commit + " in " + repository + " failed: " + added.output);
        }
        registered = true;
    }

    private void apply(String runId, byte[] diff) {
        Path patch = scratch.resolve("uncommitted.diff");
        try {
            Files.write(patch, diff);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + patch, e);
        }
        Result applied = git(worktree, "apply", "--binary", "--whitespace=nowarn", patch.toString());
        if (applied.exit != 0) {
            throw new CairnException(
                    ErrorCode.INVALID_STATE,
                    "the uncommitted changes recorded by run " + runId + " (provenance/uncommitted.diff) do not apply"
                            + " to its commit: " + applied.output);
        }
    }

    @Override
    public void close() {
        if (registered) {
            git(repository, "worktree", "remove", "--force", worktree.toString());
            registered = false;
        }
        try {
            deleteTree(scratch);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove the reproduction's scratch directory " + scratch, e);
        } finally {
            git(repository, "worktree", "prune");
        }
    }

    private static Path createScratch(Path scratchRoot) {
        try {
            Files.createDirectories(scratchRoot);
            return Files.createTempDirectory(scratchRoot, "cairn-reproduce-");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a scratch directory in " + scratchRoot, e);
        }
    }

    static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    private record Result(int exit, String output) {}

    private static Result git(Path directory, String... args) {
        List<String> command = new ArrayList<>(List.of("git", "-C", directory.toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("GIT_TERMINAL_PROMPT", "0");
        builder.environment().put("LC_ALL", "C");
        try {
            Process process = builder.start();
            process.getOutputStream().close();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (!process.waitFor(GIT_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                return new Result(-1, "git " + String.join(" ", args) + " timed out");
            }
            return new Result(process.exitValue(), output);
        } catch (IOException e) {
            throw new CairnException(ErrorCode.INTERNAL_ERROR, "git could not be started: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CairnException(ErrorCode.INTERNAL_ERROR, "interrupted while running git", e);
        }
    }
}
