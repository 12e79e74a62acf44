package dev.cairn.evaluation;

import dev.cairn.core.CairnException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.TreeMap;

/**
 * Fairness of a binary classifier across the groups of one attribute: per-group rates and the
 * demographic-parity and equal-opportunity differences (Fairlearn's {@code between_groups} method).
 * A difference over fewer than two eligible groups is 0, as in Fairlearn; equal opportunity is
 * undefined (with its reason) when no group has a positive label.
 */
public record Fairness(
        String attribute,
        List<GroupRates> groups,
        double demographicParityDifference,
        double equalOpportunityDifference,
        String equalOpportunityNote) {
    public Fairness {
        groups = List.copyOf(groups);
    }

    /** Fairness from parallel arrays of group values, labels and scores, at {@code threshold}. */
    public static Fairness compute(
            String attribute, String[] groups, boolean[] labels, double[] scores, double threshold) {
        CairnException.requireArgument(
                groups.length == labels.length && labels.length == scores.length,
                "groups, labels and scores differ in length: " + groups.length + ", " + labels.length + ", "
                        + scores.length);
        Map<String, BinaryAccumulator> byGroup = new TreeMap<>();
        for (int i = 0; i < groups.length; i++) {
            byGroup.computeIfAbsent(groups[i], g -> new BinaryAccumulator(threshold))
                    .add(labels[i], scores[i]);
        }
        return of(attribute, byGroup);
    }

    static Fairness of(String attribute, Map<String, BinaryAccumulator> byGroup) {
        List<GroupRates> rates = new ArrayList<>();
        for (Map.Entry<String, BinaryAccumulator> e : new TreeMap<>(byGroup).entrySet()) {
            BinaryAccumulator acc = e.getValue();
            long positives = acc.truePositives() + acc.falseNegatives();
            double selection =
                    acc.count() == 0 ? Double.NaN : (double) (acc.truePositives() + acc.falsePositives()) / acc.count();
            double tpr = positives == 0 ? Double.NaN : (double) acc.truePositives() / positives;
            rates.add(new GroupRates(e.getKey(), acc.count(), positives, selection, tpr));
        }
        OptionalDouble dp =
                range(rates.stream().mapToDouble(GroupRates::selectionRate).toArray());
        OptionalDouble eo =
                range(rates.stream().mapToDouble(GroupRates::truePositiveRate).toArray());
        long skipped =
                rates.stream().filter(r -> Double.isNaN(r.truePositiveRate())).count();
        String note = eo.isEmpty()
                ? "no group has a positive label: equal opportunity is undefined"
                : skipped == 0 ? "" : skipped + " group(s) without a positive label left out of equal opportunity";
        return new Fairness(attribute, rates, dp.orElse(0.0), eo.orElse(Double.NaN), note);
    }

    /** Max minus min over the non-NaN values; empty when there is none. */
    private static OptionalDouble range(double[] values) {
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (double v : values) {
            if (!Double.isNaN(v)) {
                min = Math.min(min, v);
                max = Math.max(max, v);
            }
        }
        return min > max ? OptionalDouble.empty() : OptionalDouble.of(max - min);
    }

    /** The value of {@code metric}, empty when undefined. */
    public OptionalDouble value(FairnessMetric metric) {
        double v = metric == FairnessMetric.DEMOGRAPHIC_PARITY_DIFFERENCE
                ? demographicParityDifference
                : equalOpportunityDifference;
        return Double.isNaN(v) ? OptionalDouble.empty() : OptionalDouble.of(v);
    }

    /** Why {@code metric} is undefined, when it is. */
    public Optional<String> undefinedReason(FairnessMetric metric) {
        return value(metric).isPresent() ? Optional.empty() : Optional.of(equalOpportunityNote);
    }

    public Map<String, Object> toMap() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("attribute", attribute);
        out.put(FairnessMetric.DEMOGRAPHIC_PARITY_DIFFERENCE.id(), demographicParityDifference);
        out.put(
                FairnessMetric.EQUAL_OPPORTUNITY_DIFFERENCE.id(),
                Double.isNaN(equalOpportunityDifference) ? null : equalOpportunityDifference);
        if (!equalOpportunityNote.isEmpty()) {
            out.put("note", equalOpportunityNote);
        }
        List<Map<String, Object>> list = new ArrayList<>();
        for (GroupRates g : groups) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("group", g.group());
            m.put("count", g.count());
            m.put("positives", g.positives());
            m.put("selection_rate", g.selectionRate());
            m.put("true_positive_rate", Double.isNaN(g.truePositiveRate()) ? null : g.truePositiveRate());
            list.add(m);
        }
        out.put("groups", list);
        return out;
    }
}
