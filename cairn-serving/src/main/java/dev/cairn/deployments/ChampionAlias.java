package dev.cairn.deployments;

import dev.cairn.registry.RegistryStore;
import dev.cairn.tracking.Tag;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves a registered model's {@code champion} alias to a canary the judge promoted, when the canary
 * serves a {@code models:/NAME/VERSION}; the version is tagged with who promoted it, on which
 * deployment, and the verdict, so the registry says why it is the champion.
 */
public final class ChampionAlias implements Consumer<Promotion> {
    /** The alias moved. */
    public static final String ALIAS = "champion";
    /** Version tags recording the promotion. */
    public static final String PROMOTED_BY_TAG = "cairn.champion.promoted_by";

    public static final String VERDICT_TAG = "cairn.champion.verdict";
    public static final String DEPLOYMENT_TAG = "cairn.champion.deployment";

    private static final Logger LOG = LoggerFactory.getLogger(ChampionAlias.class);

    private final RegistryStore registry;

    public ChampionAlias(RegistryStore registry) {
        this.registry = registry;
    }

    @Override
    public void accept(Promotion promotion) {
        String model = promotion.promoted().model();
        if (!model.startsWith("models:/")) {
            return; // a package directory is no registered version
        }
        String[] parts = model.substring("models:/".length()).split("/");
        if (parts.length != 2) {
            return;
        }
        registry.setModelVersionTag(parts[0], parts[1], new Tag(PROMOTED_BY_TAG, promotion.actor()));
        registry.setModelVersionTag(parts[0], parts[1], new Tag(VERDICT_TAG, promotion.verdict()));
        registry.setModelVersionTag(
                parts[0],
                parts[1],
                new Tag(DEPLOYMENT_TAG, promotion.deployment().name()));
        registry.setRegisteredModelAlias(parts[0], ALIAS, parts[1]);
        LOG.info("{} is now the champion of {} ({})", model, parts[0], promotion.verdict());
    }
}
