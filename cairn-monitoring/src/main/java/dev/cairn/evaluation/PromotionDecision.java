package dev.cairn.evaluation;

import java.util.Map;

/**
 * Whether a model version may be promoted, judged from its blessing tags: a blessed version or one
 * never gated may; a NOT_BLESSED version only with a {@link PromotionOverride}.
 */
public record PromotionDecision(boolean allowed, String reason) {
    /** The decision without an override. */
    public static PromotionDecision of(Map<String, String> versionTags) {
        return switch (Blessing.verdictOf(versionTags).orElse(Verdict.BLESSED)) {
            case BLESSED ->
                new PromotionDecision(
                        true,
                        versionTags.containsKey(Blessing.TAG)
                                ? "the version is BLESSED"
                                : "the version has no evaluation gate outcome");
            case NOT_BLESSED ->
                new PromotionDecision(
                        false,
                        "the version is NOT_BLESSED (" + String.join("; ", Blessing.reasonsOf(versionTags))
                                + "); promoting it needs an override with a justification");
        };
    }

    /** The decision with an override, which lets a NOT_BLESSED version through. */
    public static PromotionDecision of(Map<String, String> versionTags, PromotionOverride override) {
        PromotionDecision plain = of(versionTags);
        if (plain.allowed()) {
            return plain;
        }
        return new PromotionDecision(
                true,
                "NOT_BLESSED version promoted by override of " + override.actor() + " at " + override.at() + ": "
                        + override.justification());
    }
}
