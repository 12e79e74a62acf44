package dev.cairn.models.xgboost;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * A tree ensemble of XGBoost's JSON model format evaluated in Java. Every call into XGBoost's
 * native library costs tens of microseconds whatever its size (each call builds two runtime
 * contexts, and each of them reads the cgroup CPU quota files), while walking 50 small trees costs
 * about a microsecond. Only plain {@code gbtree} models with numeric splits, one value per leaf and
 * the objectives below are taken; anything else stays with the native library.
 */
final class XGBoostTrees {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> IDENTITY =
            Set.of("reg:squarederror", "reg:linear", "reg:absoluteerror", "reg:pseudohubererror", "binary:logitraw");
    private static final Set<String> LOGISTIC = Set.of("binary:logistic", "reg:logistic");
    private static final String SOFTMAX = "multi:softprob";

    /** How the summed margin becomes the prediction. */
    private enum Transform {
        IDENTITY,
        SIGMOID,
        SOFTMAX
    }

    private final int features;
    private final int groups;
    private final float[] baseMargins;
    private final Transform transform;
    /** Where each tree's root is in the node arrays, and the output group it adds to. */
    private final int[] roots;

    private final int[] treeGroups;
    /** Per node: children as global indices ({@code -1} for a leaf), feature, threshold or leaf value. */
    private final int[] left;

    private final int[] right;
    private final int[] feature;
    private final float[] value;
    private final boolean[] defaultLeft;

    private XGBoostTrees(
            int features,
            int groups,
            float[] baseMargins,
            Transform transform,
            int[] roots,
            int[] treeGroups,
            int[] left,
            int[] right,
            int[] feature,
            float[] value,
            boolean[] defaultLeft) {
        this.features = features;
        this.groups = groups;
        this.baseMargins = baseMargins;
        this.transform = transform;
        this.roots = roots;
        this.treeGroups = treeGroups;
        this.left = left;
        this.right = right;
        this.feature = feature;
        this.value = value;
        this.defaultLeft = defaultLeft;
    }

    /** The ensemble in {@code modelJson} (XGBoost's JSON model format), if it is of a kind this class evaluates. */
    static Optional<XGBoostTrees> parse(byte[] modelJson, int features) {
        try {
            return parse(JSON.readTree(modelJson).path("learner"), features);
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    private static Optional<XGBoostTrees> parse(JsonNode learner, int features) {
        JsonNode booster = learner.path("gradient_booster");
        String objective = learner.path("objective").path("name").asText("");
        JsonNode params = learner.path("learner_model_param");
        int groups = Math.max(1, params.path("num_class").asInt(0));
        Transform transform;
        if (IDENTITY.contains(objective)) {
            transform = Transform.IDENTITY;
        } else if (LOGISTIC.contains(objective)) {
            transform = Transform.SIGMOID;
        } else if (objective.equals(SOFTMAX)) {
            transform = Transform.SOFTMAX;
        } else {
            return Optional.empty();
        }
        if (!booster.path("name").asText("").equals("gbtree")
                || params.path("num_target").asInt(1) != 1
                || params.path("num_feature").asInt(-1) != features) {
            return Optional.empty();
        }
        // one base score, or one per class ("[5E-1,5E-1,5E-1]")
        String[] scores = params.path("base_score")
                .asText("")
                .replace("[", "")
                .replace("]", "")
                .split(",");
        if (scores.length != 1 && scores.length != groups) {
            return Optional.empty();
        }
        float[] baseMargins = new float[groups];
        for (int g = 0; g < groups; g++) {
            float score = Float.parseFloat(scores[scores.length == 1 ? 0 : g].strip());
            baseMargins[g] = transform == Transform.SIGMOID
                    ? -(float) Math.log(1.0f / score - 1.0f) // XGBoost keeps the base score as a probability
                    : score;
        }
        JsonNode model = booster.path("model");
        JsonNode trees = model.path("trees");
        JsonNode treeInfo = model.path("tree_info");
        if (!trees.isArray() || trees.isEmpty() || treeInfo.size() != trees.size()) {
            return Optional.empty();
        }
        int nodes = 0;
        for (JsonNode tree : trees) {
            nodes += tree.path("left_children").size();
        }
        var b = new Builder(trees.size(), nodes);
        for (int t = 0; t < trees.size(); t++) {
            int group = treeInfo.get(t).asInt();
            if (group < 0 || group >= groups || !b.add(t, group, trees.get(t), features)) {
                return Optional.empty();
            }
        }
        return Optional.of(new XGBoostTrees(
                features,
                groups,
                baseMargins,
                transform,
                b.roots,
                b.treeGroups,
                b.left,
                b.right,
                b.feature,
                b.value,
                b.defaultLeft));
    }

    /** Collects the trees into flat node arrays. */
    private static final class Builder {
        final int[] roots;
        final int[] treeGroups;
        final int[] left;
        final int[] right;
        final int[] feature;
        final float[] value;
        final boolean[] defaultLeft;
        int next;

        Builder(int trees, int nodes) {
            roots = new int[trees];
            treeGroups = new int[trees];
            left = new int[nodes];
            right = new int[nodes];
            feature = new int[nodes];
            value = new float[nodes];
            defaultLeft = new boolean[nodes];
        }

        /** Adds one tree; false when it uses what this class does not evaluate (categories, vector leaves). */
        boolean add(int index, int group, JsonNode tree, int features) {
            JsonNode lefts = tree.path("left_children");
            JsonNode rights = tree.path("right_children");
            JsonNode indices = tree.path("split_indices");
            JsonNode conditions = tree.path("split_conditions");
            JsonNode defaults = tree.path("default_left");
            JsonNode types = tree.path("split_type");
            int n = lefts.size();
            if (n == 0
                    || rights.size() != n
                    || indices.size() != n
                    || conditions.size() != n
                    || defaults.size() != n
                    || tree.path("tree_param").path("size_leaf_vector").asInt(1) > 1) {
                return false;
            }
            int offset = next;
            roots[index] = offset;
            treeGroups[index] = group;
            for (int i = 0; i < n; i++) {
                int l = lefts.get(i).asInt();
                int r = rights.get(i).asInt();
                int f = indices.get(i).asInt();
                boolean leaf = l == -1;
                if (!leaf && (l <= 0 || l >= n || r <= 0 || r >= n || f < 0 || f >= features)) {
                    return false;
                }
                if (!leaf && types.size() == n && types.get(i).asInt() != 0) {
                    return false; // a categorical split
                }
                left[offset + i] = leaf ? -1 : offset + l;
                right[offset + i] = leaf ? -1 : offset + r;
                feature[offset + i] = leaf ? 0 : f;
                value[offset + i] = (float) conditions.get(i).asDouble();
                defaultLeft[offset + i] = defaults.get(i).asInt() != 0;
            }
            next += n;
            return true;
        }
    }

    /** Values per row of the prediction: 1, or the number of classes. */
    int width() {
        return groups;
    }

    /** The predictions of {@code rows} rows of the row-major {@code matrix}, {@link #width()} values per row. */
    float[] predict(float[] matrix, int rows) {
        float[] out = new float[rows * groups];
        for (int r = 0; r < rows; r++) {
            int base = r * features;
            int at = r * groups;
            for (int g = 0; g < groups; g++) {
                out[at + g] = baseMargins[g];
            }
            for (int t = 0; t < roots.length; t++) {
                out[at + treeGroups[t]] += leaf(roots[t], matrix, base);
            }
            transform(out, at);
        }
        return out;
    }

    private float leaf(int node, float[] matrix, int base) {
        int n = node;
        while (left[n] != -1) {
            float x = matrix[base + feature[n]];
            if (Float.isNaN(x)) {
                n = defaultLeft[n] ? left[n] : right[n];
            } else {
                n = x < value[n] ? left[n] : right[n];
            }
        }
        return value[n];
    }

    private void transform(float[] out, int at) {
        switch (transform) {
            case IDENTITY -> {}
            case SIGMOID -> out[at] = sigmoid(out[at]);
            case SOFTMAX -> {
                float max = Float.NEGATIVE_INFINITY;
                for (int g = 0; g < groups; g++) {
                    max = Math.max(max, out[at + g]);
                }
                double sum = 0;
                for (int g = 0; g < groups; g++) {
                    sum += Math.exp(out[at + g] - max);
                }
                for (int g = 0; g < groups; g++) {
                    out[at + g] = (float) (Math.exp(out[at + g] - max) / sum);
                }
            }
        }
    }

    /** XGBoost's own float sigmoid, step for step, so that predictions match it to the last bit. */
    private static float sigmoid(float margin) {
        float denominator = (float) Math.exp(Math.min(-margin, 88.7f)) + 1.0f + 1e-16f;
        return 1.0f / denominator;
    }

    /**
     * Rows that exercise the splits of the ensemble: each feature at, just below or just above one
     * of its own thresholds, missing, or anywhere near, in a fixed pseudo-random mix.
     */
    float[] probeRows(int rows) {
        var thresholds = new ArrayList<List<Float>>();
        for (int f = 0; f < features; f++) {
            thresholds.add(new ArrayList<>());
        }
        for (int n = 0; n < left.length; n++) {
            if (left[n] != -1) {
                thresholds.get(feature[n]).add(value[n]);
            }
        }
        var random = new SplittableRandom(42);
        float[] matrix = new float[rows * features];
        for (int i = 0; i < matrix.length; i++) {
            var own = thresholds.get(i % features);
            float threshold = own.isEmpty() ? 0f : own.get(random.nextInt(own.size()));
            matrix[i] = switch (random.nextInt(5)) {
                case 0 -> threshold;
                case 1 -> Math.nextDown(threshold);
                case 2 -> Math.nextUp(threshold);
                case 3 -> Float.NaN;
                default -> threshold + (float) random.nextGaussian();
            };
        }
        return matrix;
    }
}
