package dev.cairn.monitoring;

import dev.cairn.core.CairnException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Where a monitor's reference table may be read from. In-process callers may name any file they
 * can read; a server confines references to its reference directories, so that an API client
 * cannot make the server read an arbitrary local file. Links are resolved before the check.
 */
final class ReferenceFiles {
    private final List<Path> roots;

    private ReferenceFiles(List<Path> roots) {
        this.roots = List.copyOf(roots);
    }

    static ReferenceFiles anywhere() {
        return new ReferenceFiles(List.of());
    }

    static ReferenceFiles under(List<Path> roots) {
        CairnException.requireArgument(!roots.isEmpty(), "at least one reference directory is required");
        List<Path> absolute = new ArrayList<>();
        for (Path root : roots) {
            absolute.add(root.toAbsolutePath().normalize());
        }
        return new ReferenceFiles(absolute);
    }

    /** The readable file {@code reference} names; relative names are taken from the first reference directory. */
    Path resolve(String reference) {
        Path path = Path.of(reference);
        if (!roots.isEmpty() && !path.isAbsolute()) {
            path = roots.get(0).resolve(path);
        }
        CairnException.requireArgument(
                Files.isRegularFile(path), "reference is not a readable file: '" + reference + "'");
        if (roots.isEmpty()) {
            return path;
        }
        Path real = realPath(path, reference);
        for (Path root : roots) {
            if (Files.isDirectory(root) && real.startsWith(realPath(root, root.toString()))) {
                return real;
            }
        }
        throw CairnException.invalid("reference must be a file under the server's reference directories " + roots
                + "; got '" + reference + "'");
    }

    private static Path realPath(Path path, String shown) {
        try {
            return path.toRealPath();
        } catch (IOException e) {
            throw CairnException.invalid("reference is not a readable file: '" + shown + "'");
        }
    }
}
