package dev.cairn.deployments;

import dev.cairn.core.CairnException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;

/** Model packages named by their directory: an absolute path or a {@code file:} URI. */
final class DirectoryModelSource implements ModelSource {

    @Override
    public Path resolve(String uri) {
        if (uri.startsWith("models:/")) {
            throw CairnException.invalid("model '" + uri + "': models:/ URIs need the model registry,"
                    + " which this server does not have; name the package directory instead");
        }
        Path directory;
        try {
            directory = uri.startsWith("file:") ? Path.of(URI.create(uri)) : Path.of(uri);
        } catch (IllegalArgumentException e) {
            throw CairnException.invalid("model '" + uri + "' is not a file URI or path: " + e.getMessage());
        }
        if (!directory.isAbsolute() || !Files.isRegularFile(directory.resolve("cairn-model.json"))) {
            throw CairnException.notFound(
                    "model '" + uri + "' is not an absolute path to a model package (no cairn-model.json there)");
        }
        return directory;
    }
}
