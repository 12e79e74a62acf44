package dev.cairn.evaluation;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.cairn.core.CairnException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The outcome of an evaluation gate: {@link Verdict#BLESSED} when no check failed, with every check
 * and its reason. {@link #tags()} is what is recorded on the model version.
 */
public record Blessing(Verdict verdict, List<GateCheck> checks) {
    /** The tag holding {@code BLESSED} or {@code NOT_BLESSED}. */
    public static final String TAG = "cairn.blessing";
    /** The tag holding a JSON array of the reasons of the failed and skipped checks. */
    public static final String REASONS_TAG = "cairn.blessing.reasons";
    /** The tag holding counts of passed, failed and skipped checks. */
    public static final String SUMMARY_TAG = "cairn.blessing.summary";
    /** Tag values stay below MLflow's 5,000-character limit. */
    static final int MAX_TAG_LENGTH = 5000;

    public Blessing {
        checks = List.copyOf(checks);
    }

    static Blessing of(List<GateCheck> checks) {
        boolean failed = checks.stream().anyMatch(c -> c.status() == CheckStatus.FAILED);
        return new Blessing(failed ? Verdict.NOT_BLESSED : Verdict.BLESSED, checks);
    }

    public boolean blessed() {
        return verdict == Verdict.BLESSED;
    }

    public List<GateCheck> failures() {
        return checks.stream().filter(c -> c.status() == CheckStatus.FAILED).toList();
    }

    public Map<String, Object> toMap() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("verdict", verdict.name());
        out.put("checks", checks.stream().map(GateCheck::toMap).toList());
        return out;
    }

    public String toJson() {
        return Json.write(toMap());
    }

    /** The tags recording this outcome on a model version: verdict, summary and reasons. */
    public Map<String, String> tags() {
        Map<String, String> tags = new LinkedHashMap<>();
        tags.put(TAG, verdict.name());
        tags.put(SUMMARY_TAG, summary());
        tags.put(REASONS_TAG, reasonsJson());
        return tags;
    }

    private String summary() {
        long passed =
                checks.stream().filter(c -> c.status() == CheckStatus.PASSED).count();
        long skipped =
                checks.stream().filter(c -> c.status() == CheckStatus.SKIPPED).count();
        return String.format(
                Locale.ROOT,
                "%d passed, %d failed, %d skipped",
                passed,
                failures().size(),
                skipped);
    }

    /** Failed checks first, then skipped ones; cut with a final "... N more" element to fit a tag. */
    private String reasonsJson() {
        List<String> reasons = new ArrayList<>();
        checks.stream().filter(c -> c.status() == CheckStatus.FAILED).forEach(c -> reasons.add(c.reason()));
        checks.stream().filter(c -> c.status() == CheckStatus.SKIPPED).forEach(c -> reasons.add(c.reason()));
        for (int keep = reasons.size(); keep >= 0; keep--) {
            List<String> shown = new ArrayList<>(reasons.subList(0, keep));
            if (keep < reasons.size()) {
                shown.add("... " + (reasons.size() - keep) + " more");
            }
            String json = Json.write(shown);
            if (json.length() <= MAX_TAG_LENGTH) {
                return json;
            }
        }
        return "[]";
    }

    /** The verdict recorded in a model version's tags, if any; fails on a value that is not a verdict. */
    public static Optional<Verdict> verdictOf(Map<String, String> tags) {
        String v = tags.get(TAG);
        if (v == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(Verdict.valueOf(v.strip()));
        } catch (IllegalArgumentException e) {
            throw CairnException.invalid("tag " + TAG + " must be BLESSED or NOT_BLESSED: " + v);
        }
    }

    /** The reasons recorded in a model version's tags (empty when none). */
    public static List<String> reasonsOf(Map<String, String> tags) {
        String v = tags.get(REASONS_TAG);
        if (v == null || v.isBlank()) {
            return List.of();
        }
        try {
            return List.of(Json.MAPPER.readValue(v, String[].class));
        } catch (JsonProcessingException e) {
            throw CairnException.invalid("tag " + REASONS_TAG + " is not a JSON array of strings: " + v);
        }
    }
}
