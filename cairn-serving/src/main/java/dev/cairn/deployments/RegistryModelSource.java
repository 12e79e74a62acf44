package dev.cairn.deployments;

import dev.cairn.artifacts.ArtifactPath;
import dev.cairn.artifacts.ArtifactRepository;
import dev.cairn.artifacts.ArtifactRoot;
import dev.cairn.core.CairnException;
import dev.cairn.registry.ModelVersion;
import dev.cairn.registry.RegistryStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * {@code models:/<name>/<version>} and {@code models:/<name>@<alias>} through the registry: the
 * version's artifacts (which the server itself stored) are downloaded once into {@code cache} and
 * loaded from there; any other URI goes to {@code others}.
 */
final class RegistryModelSource implements ModelSource {
    private static final String MODELS = "models:/";
    private static final String ARTIFACTS = "mlflow-artifacts:/";

    private final RegistryStore registry;
    private final ArtifactRepository artifacts;
    private final Path cache;
    private final ModelSource others;

    RegistryModelSource(RegistryStore registry, ArtifactRepository artifacts, Path cache, ModelSource others) {
        this.registry = registry;
        this.artifacts = artifacts;
        this.cache = cache;
        this.others = others;
    }

    @Override
    public Path resolve(String uri) {
        if (!uri.startsWith(MODELS)) {
            return others.resolve(uri);
        }
        ModelVersion version = version(uri);
        Path target = cache.resolve(version.name()).resolve(String.valueOf(version.version()));
        if (Files.isRegularFile(target.resolve("cairn-model.json"))) {
            return target;
        }
        download(uri, version, target);
        return target;
    }

    private ModelVersion version(String uri) {
        String rest = uri.substring(MODELS.length());
        int at = rest.indexOf('@');
        if (at > 0) {
            return registry.getModelVersionByAlias(rest.substring(0, at), rest.substring(at + 1));
        }
        String[] parts = rest.split("/");
        if (parts.length != 2) {
            throw CairnException.invalid(
                    "model '" + uri + "' must be models:/<name>/<version> or models:/<name>@<alias>");
        }
        return registry.getModelVersion(parts[0], parts[1]);
    }

    /** Downloads into a fresh folder and moves it into place, so a half-written package is never loaded. */
    private void download(String uri, ModelVersion version, Path target) {
        String location = version.storageLocation();
        CairnException.requireArgument(
                location.startsWith(ARTIFACTS),
                "model '" + uri + "' is stored at '" + location + "', not in this server's artifact store");
        String[] segments = location.substring(ARTIFACTS.length()).split("/", 4);
        CairnException.requireArgument(
                segments.length >= 3 && segments[2].equals("artifacts"),
                "model '" + uri + "' has an unexpected storage location '" + location + "'");
        ArtifactRoot root = ArtifactRoot.ofRun(segments[0], segments[1]);
        ArtifactPath path = segments.length == 4 ? ArtifactPath.of(segments[3]) : ArtifactPath.ROOT;
        Path staging = cache.resolve(".download-" + UUID.randomUUID());
        try {
            Files.createDirectories(staging);
            artifacts.download(root, path, staging);
            Files.createDirectories(target.getParent());
            Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            if (Files.isRegularFile(target.resolve("cairn-model.json"))) {
                return; // another deployment downloaded the same version first
            }
            throw new UncheckedIOException("downloading " + uri + " into " + target + " failed", e);
        } finally {
            deleteQuietly(staging);
        }
    }

    private static void deleteQuietly(Path directory) {
        if (!Files.exists(directory)) {
            return;
        }
        try (Stream<Path> files = Files.walk(directory)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a leftover staging folder only costs disk space
        }
    }
}
