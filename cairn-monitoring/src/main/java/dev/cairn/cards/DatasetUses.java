package dev.cairn.cards;

import dev.cairn.lineage.Direction;
import dev.cairn.lineage.EdgeType;
import dev.cairn.lineage.LineageEdge;
import dev.cairn.lineage.LineageGraph;
import dev.cairn.lineage.LineageNode;
import dev.cairn.lineage.LineageStore;
import dev.cairn.lineage.LineageUri;
import dev.cairn.registry.ModelVersion;
import dev.cairn.tracking.DatasetInput;
import dev.cairn.tracking.Run;
import dev.cairn.tracking.Tag;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The dataset versions a model version was trained and evaluated on: the dataset nodes upstream of
 * {@code models:/<name>/<version>} in lineage, the datasets its run logged as inputs, and the
 * holdout its evaluation record names. A dataset is evaluation data when it is that holdout or when
 * the run's input carries MLflow's {@code mlflow.data.context} tag with an evaluation context
 * ({@code evaluation}, {@code eval}, {@code validation}, {@code test}, {@code holdout}); otherwise
 * it is training data.
 */
final class DatasetUses {
    /** Deep enough for dataset -> run -> artifact -> model plus a few derived datasets. */
    static final int DEPTH = 10;

    static final String CONTEXT_TAG = "mlflow.data.context";
    private static final Set<String> EVALUATION_CONTEXTS =
            Set.of("evaluation", "eval", "validation", "test", "holdout");

    private final LineageStore lineage;

    DatasetUses(LineageStore lineage) {
        this.lineage = lineage;
    }

    List<ModelCard.DatasetUse> of(
            ModelVersion version, Optional<Run> run, Optional<ModelCard.RecordedEvaluation> evaluation) {
        String holdout = evaluation.map(ModelCard.RecordedEvaluation::holdout).orElse("");
        Map<String, String> contexts = new LinkedHashMap<>();
        run.ifPresent(r -> r.inputs().forEach(i -> contexts.put(i.dataset().source(), context(i))));
        Map<String, ModelCard.DatasetUse> uses = new LinkedHashMap<>();
        List<String> starts = new ArrayList<>(List.of(LineageUri.model(version.name(), version.version())));
        run.ifPresent(r -> starts.add(LineageUri.run(r.info().runId())));
        for (String start : starts) {
            addLineage(lineage.traverse(start, Direction.UP, DEPTH), holdout, contexts, uses);
        }
        run.ifPresent(r -> addInputs(r, holdout, contexts, uses));
        if (!holdout.isBlank() && !uses.containsKey(holdout)) {
            uses.put(
                    holdout,
                    new ModelCard.DatasetUse(
                            holdout, "", "", ModelCard.DatasetRole.EVALUATION, "the evaluation record's holdout"));
        }
        return new ArrayList<>(uses.values());
    }

    /**
     * The dataset nodes of {@code graph}. The run is walked from as well as the version: a version's
     * lineage reaches its run only when the run's {@code produced} edge to the model was recorded.
     */
    private static void addLineage(
            LineageGraph graph, String holdout, Map<String, String> contexts, Map<String, ModelCard.DatasetUse> uses) {
        for (LineageNode node : graph.nodes()) {
            if (node.kind() != LineageUri.Kind.DATASET || uses.containsKey(node.uri())) {
                continue;
            }
            LineageEdge edge = consumption(graph, node.uri());
            String evidence = "lineage: " + edge.type().wireName() + " by " + edge.target();
            uses.put(
                    node.uri(),
                    new ModelCard.DatasetUse(
                            node.uri(),
                            edge.attributes().getOrDefault("name", ""),
                            edge.attributes().getOrDefault("digest", ""),
                            role(node.uri(), holdout, contexts),
                            evidence));
        }
    }

    private static void addInputs(
            Run run, String holdout, Map<String, String> contexts, Map<String, ModelCard.DatasetUse> uses) {
        for (DatasetInput input : run.inputs()) {
            DatasetInput.Dataset d = input.dataset();
            String uri = d.source().isBlank() ? d.name() : d.source();
            if (uses.containsKey(uri)) {
                continue;
            }
            String context = contexts.getOrDefault(d.source(), "");
            uses.put(
                    uri,
                    new ModelCard.DatasetUse(
                            uri,
                            d.name(),
                            d.digest(),
                            role(uri, holdout, contexts),
                            "input of run " + run.info().runId()
                                    + (context.isEmpty() ? "" : " (context " + context + ")")));
        }
    }

    /** The edge through which a dataset was used: the one leaving it, preferring {@code consumed}. */
    private static LineageEdge consumption(LineageGraph graph, String uri) {
        LineageEdge found = null;
        for (LineageEdge e : graph.edges()) {
            if (e.source().equals(uri) && (found == null || e.type() == EdgeType.CONSUMED)) {
                found = e;
            }
        }
        return found != null ? found : LineageEdge.of(uri, EdgeType.CONSUMED, uri);
    }

    private static ModelCard.DatasetRole role(String uri, String holdout, Map<String, String> contexts) {
        boolean evaluation = uri.equals(holdout)
                || EVALUATION_CONTEXTS.contains(contexts.getOrDefault(uri, "").toLowerCase(Locale.ROOT));
        return evaluation ? ModelCard.DatasetRole.EVALUATION : ModelCard.DatasetRole.TRAINING;
    }

    private static String context(DatasetInput input) {
        for (Tag t : input.tags()) {
            if (t.key().equals(CONTEXT_TAG)) {
                return t.value().strip();
            }
        }
        return "";
    }
}
