package dev.cairn.evaluation;

import dev.cairn.core.CairnException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A recorded decision to promote a model version its gate did not bless: who decided, when, and why.
 * The justification is required and must say something (at least {@value #MIN_JUSTIFICATION} characters).
 */
public record PromotionOverride(String actor, Instant at, String justification) {
    public static final int MIN_JUSTIFICATION = 10;
    public static final String ACTOR_TAG = "cairn.blessing.override.actor";
    public static final String AT_TAG = "cairn.blessing.override.at";
    public static final String JUSTIFICATION_TAG = "cairn.blessing.override.justification";

    public PromotionOverride {
        CairnException.requireArgument(actor != null && !actor.isBlank(), "override actor must not be blank");
        CairnException.requireArgument(at != null, "override time must be given");
        CairnException.requireArgument(
                justification != null && justification.strip().length() >= MIN_JUSTIFICATION,
                "override justification must have at least " + MIN_JUSTIFICATION + " characters: '" + justification
                        + "'");
        actor = actor.strip();
        justification = justification.strip();
    }

    /** The tags recording this override on the model version. */
    public Map<String, String> tags() {
        Map<String, String> tags = new LinkedHashMap<>();
        tags.put(ACTOR_TAG, actor);
        tags.put(AT_TAG, at.toString());
        tags.put(JUSTIFICATION_TAG, justification);
        return tags;
    }
}
