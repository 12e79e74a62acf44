package dev.cairn.models;

import dev.cairn.core.CairnException;
import dev.cairn.core.ErrorCode;
import java.nio.file.Path;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;

/** Loads model packages with the flavor that {@code cairn-model.json} names. */
public final class Models {
    private static final Map<String, PredictorFactory> FACTORIES = discover();

    private Models() {}

    /** Verifies the package in {@code directory} and loads its predictor. */
    public static LoadedModel load(Path directory) {
        ModelManifest manifest = ModelPackage.read(directory);
        PredictorFactory factory = FACTORIES.get(manifest.flavor());
        if (factory == null) {
            throw new CairnException(
                    ErrorCode.INVALID_STATE,
                    directory.resolve(ModelPackage.MANIFEST) + ": unknown flavor '" + manifest.flavor()
                            + "'; this Cairn knows " + FACTORIES.keySet());
        }
        return new LoadedModel(directory, manifest, factory.load(directory, manifest));
    }

    /** The flavors this process can load. */
    public static java.util.Set<String> flavors() {
        return FACTORIES.keySet();
    }

    private static Map<String, PredictorFactory> discover() {
        var found = new TreeMap<String, PredictorFactory>();
        var providers = ServiceLoader.load(PredictorFactory.class, Models.class.getClassLoader())
                .iterator();
        while (true) {
            try {
                if (!providers.hasNext()) {
                    break;
                }
                PredictorFactory factory = providers.next();
                found.put(factory.flavor(), factory);
            } catch (java.util.ServiceConfigurationError e) {
                // One broken plug-in must not take the other flavors down with it.
                System.getLogger(Models.class.getName())
                        .log(System.Logger.Level.WARNING, "skipping a model flavor that cannot load", e);
            }
        }
        return java.util.Collections.unmodifiableMap(found);
    }
}
