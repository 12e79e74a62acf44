package dev.cairn.tracking;

import dev.cairn.core.CairnException;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/** MLflow's input rules, checked before anything is written: names, lengths, batch sizes, ids. */
final class Validation {
    static final int MAX_EXPERIMENT_NAME_LENGTH = 500;
    static final int MAX_EXPERIMENT_TAG_VALUE_LENGTH = 5000;
    static final int MAX_RUN_NAME_LENGTH = 250;
    static final int MAX_DATASETS_PER_BATCH = 1000;
    static final int MAX_DATASET_NAME_LENGTH = 500;
    static final int MAX_DATASET_DIGEST_LENGTH = 36;
    static final int MAX_DATASET_SCHEMA_LENGTH = 1_048_575;
    static final int MAX_DATASET_SOURCE_LENGTH = 65_535;
    static final int MAX_DATASET_PROFILE_LENGTH = 16_777_215;
    static final int MAX_INPUT_TAG_KEY_LENGTH = 255;
    static final int MAX_INPUT_TAG_VALUE_LENGTH = 500;

    private static final Pattern VALID_KEY = Pattern.compile("^[/\\w.\\- ]*$", Pattern.UNICODE_CHARACTER_CLASS);
    private static final Pattern EXPERIMENT_ID = Pattern.compile("^[0-9]{1,18}$");
    private static final String BAD_CHARACTERS = "Names may only contain alphanumerics, underscores (_), dashes (-),"
            + " periods (.), spaces ( ), and slashes (/).";

    private Validation() {}

    /** Checks a metric, parameter or tag key: {@code what} is "metric", "parameter" or "tag". */
    static void key(String what, String key) {
        if (isPlainKey(key)) {
            return;
        }
        CairnException.requireArgument(
                key != null, capitalize(what) + " name cannot be None. A key name must be provided.");
        CairnException.requireArgument(
                VALID_KEY.matcher(key).matches(), "Invalid " + what + " name: '" + key + "'. " + BAD_CHARACTERS);
        String normalized = normalize(key);
        CairnException.requireArgument(
                normalized.equals(key)
                        && !normalized.equals(".")
                        && !normalized.startsWith("..")
                        && !normalized.startsWith("/"),
                "Invalid " + what + " name: '" + key + "'. Names may be treated as files in certain cases, and must"
                        + " not resolve to other names when treated as such. This name would resolve to '" + normalized
                        + "'");
        length(capitalize(what) + " key", TrackingStore.MAX_ENTITY_KEY_LENGTH, key);
    }

    /**
     * The common case, checked without a regular expression or building messages: a short key of
     * ASCII letters, digits, {@code _ - .} and spaces, which the full rules below always accept
     * unless it is {@code .} or starts with {@code ..} (without a slash it normalizes to itself).
     */
    private static boolean isPlainKey(String key) {
        if (key == null || key.isEmpty() || key.length() > TrackingStore.MAX_ENTITY_KEY_LENGTH) {
            return false;
        }
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            boolean plain = (c >= 'a' && c <= 'z')
                    || (c >= 'A' && c <= 'Z')
                    || (c >= '0' && c <= '9')
                    || c == '_'
                    || c == '-'
                    || c == '.'
                    || c == ' ';
            if (!plain) {
                return false;
            }
        }
        return !key.equals(".") && !key.startsWith("..");
    }

    static void metric(Metric metric) {
        key("metric", metric.key());
        timestamp(metric);
    }

    private static void timestamp(Metric metric) {
        CairnException.requireArgument(
                metric.timestamp() >= 0,
                "Got invalid timestamp " + metric.timestamp() + " for metric '" + metric.key() + "' (value="
                        + metric.value() + "). Timestamp must be a nonnegative long (64-bit integer) ");
    }

    static void param(Param param) {
        key("parameter", param.key());
        CairnException.requireArgument(param.value() != null, "Param value for key '" + param.key() + "' is missing");
        length("Param value", TrackingStore.MAX_PARAM_VALUE_LENGTH, param.value());
    }

    static void tag(Tag tag) {
        key("tag", tag.key());
        CairnException.requireArgument(tag.value() != null, "Tag value for key '" + tag.key() + "' is missing");
        length("Tag value", TrackingStore.MAX_TAG_VALUE_LENGTH, tag.value());
    }

    static void experimentTag(Tag tag) {
        key("tag", tag.key());
        CairnException.requireArgument(tag.value() != null, "Tag value for key '" + tag.key() + "' is missing");
        length("Tag value", MAX_EXPERIMENT_TAG_VALUE_LENGTH, tag.value());
    }

    static void experimentName(String name) {
        CairnException.requireArgument(
                name != null && !name.isEmpty(), "Invalid experiment name: '" + (name == null ? "" : name) + "'");
        CairnException.requireArgument(
                name.length() <= MAX_EXPERIMENT_NAME_LENGTH,
                "Experiment name exceeds the maximum length of " + MAX_EXPERIMENT_NAME_LENGTH + " characters");
    }

    static void runName(String name) {
        length("Run name", MAX_RUN_NAME_LENGTH, name);
    }

    static void runId(String runId) {
        CairnException.requireArgument(isRunId(runId), "Invalid run ID: '" + runId + "'");
    }

    /**
     * {@code [a-zA-Z0-9][a-zA-Z0-9_-]{0,255}}, checked without a regular expression: every run
     * write checks its id, and the matcher showed in profiles of single log-metric calls.
     */
    private static boolean isRunId(String runId) {
        if (runId == null || runId.isEmpty() || runId.length() > 256) {
            return false;
        }
        for (int i = 0; i < runId.length(); i++) {
            char c = runId.charAt(i);
            boolean alphanumeric = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
            if (!alphanumeric && (i == 0 || (c != '_' && c != '-'))) {
                return false;
            }
        }
        return true;
    }

    /** Experiment ids are decimal integers here; anything else cannot name an experiment. */
    static long experimentId(String experimentId) {
        CairnException.requireArgument(
                experimentId != null && EXPERIMENT_ID.matcher(experimentId).matches(),
                "Invalid experiment ID: '" + experimentId + "'");
        return Long.parseLong(experimentId);
    }

    static void batch(List<Metric> metrics, List<Param> params, List<Tag> tags) {
        batchLimit("metrics", TrackingStore.MAX_BATCH_METRICS, metrics.size());
        batchLimit("params", TrackingStore.MAX_BATCH_PARAMS_AND_TAGS, params.size());
        batchLimit("tags", TrackingStore.MAX_BATCH_PARAMS_AND_TAGS, tags.size());
        batchLimit(
                "metrics, params, and tags",
                TrackingStore.MAX_BATCH_TOTAL,
                metrics.size() + params.size() + tags.size());
        // A batch repeats few keys many times: check each distinct key once.
        Set<String> checkedKeys = new HashSet<>();
        for (Metric metric : metrics) {
            if (checkedKeys.add(metric.key())) {
                key("metric", metric.key());
            }
            timestamp(metric);
        }
        params.forEach(Validation::param);
        tags.forEach(Validation::tag);
        Set<String> seen = new HashSet<>();
        for (Param param : params) {
            CairnException.requireArgument(
                    seen.add(param.key()),
                    "Duplicate parameter keys have been submitted: ['" + param.key()
                            + "']. Please ensure the request contains only one param value per param key.");
        }
    }

    static void inputs(List<DatasetInput> inputs) {
        batchLimit("datasets", MAX_DATASETS_PER_BATCH, inputs.size());
        for (DatasetInput input : inputs) {
            DatasetInput.Dataset d = input.dataset();
            CairnException.requireArgument(d != null, "Dataset input is missing its dataset");
            required("Dataset name", d.name());
            required("Dataset digest", d.digest());
            required("Dataset source_type", d.sourceType());
            required("Dataset source", d.source());
            length("Dataset name", MAX_DATASET_NAME_LENGTH, d.name());
            length("Dataset digest", MAX_DATASET_DIGEST_LENGTH, d.digest());
            length("Dataset source", MAX_DATASET_SOURCE_LENGTH, d.source());
            length("Dataset schema", MAX_DATASET_SCHEMA_LENGTH, nullToEmpty(d.schema()));
            length("Dataset profile", MAX_DATASET_PROFILE_LENGTH, nullToEmpty(d.profile()));
            for (Tag tag : input.tags()) {
                required("Input tag key", tag.key());
                required("Input tag value", tag.value());
                length("Input tag key", MAX_INPUT_TAG_KEY_LENGTH, tag.key());
                length("Input tag value", MAX_INPUT_TAG_VALUE_LENGTH, tag.value());
            }
        }
    }

    static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }

    private static void required(String what, String value) {
        CairnException.requireArgument(value != null && !value.isEmpty(), what + " must be provided");
    }

    private static void batchLimit(String what, int limit, int size) {
        CairnException.requireArgument(
                size <= limit,
                "A batch logging request can contain at most " + limit + " " + what + ". Got " + size + " " + what
                        + ". Please split up " + what + " across multiple requests and try again.");
    }

    static void length(String what, int limit, String value) {
        if (value != null && value.length() > limit) {
            throw CairnException.invalid(what + " '" + value.substring(0, Math.min(250, value.length()))
                    + "' had length " + value.length() + ", which exceeded length limit of " + limit);
        }
    }

    private static String capitalize(String s) {
        return Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }

    /** POSIX path normalization, as Python's {@code posixpath.normpath}. */
    static String normalize(String path) {
        if (path.isEmpty()) {
            return ".";
        }
        boolean absolute = path.startsWith("/");
        int leadingSlashes = absolute && path.startsWith("//") && !path.startsWith("///") ? 2 : absolute ? 1 : 0;
        java.util.ArrayDeque<String> parts = new java.util.ArrayDeque<>();
        for (String part : path.split("/")) {
            if (part.isEmpty() || part.equals(".")) {
                continue;
            }
            if (part.equals("..") && !parts.isEmpty() && !parts.peekLast().equals("..")) {
                parts.removeLast();
            } else if (!(part.equals("..") && absolute)) {
                parts.addLast(part);
            }
        }
        String joined = String.join("/", parts);
        String result = "/".repeat(leadingSlashes) + joined;
        return result.isEmpty() ? "." : result;
    }
}
