package dev.cairn.pipelines.execution;

import dev.cairn.core.CairnException;
import dev.cairn.pipelines.OutputRef;
import dev.cairn.pipelines.Pipeline;
import dev.cairn.pipelines.Step;
import dev.cairn.pipelines.StepAction;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Predicts, without running anything, which steps the next execution would take from the cache,
 * and explains each miss by comparing its key components with the step's last execution.
 */
final class Explainer {
    private final EngineParts parts;
    private final Pipeline pipeline;
    private final Map<String, Object> params;
    private final Fingerprints fingerprints;
    private final Map<String, Map<String, StoredOutput>> produced = new HashMap<>();
    private final Map<String, StepExplanation> verdicts = new HashMap<>();

    Explainer(EngineParts parts, Pipeline pipeline, Map<String, Object> params) {
        this.parts = parts;
        this.pipeline = pipeline;
        this.params = params;
        this.fingerprints = new Fingerprints(pipeline.projectDir());
    }

    List<StepExplanation> explain() {
        List<StepExplanation> result = new ArrayList<>();
        for (String name : Dag.topologicalOrder(pipeline)) {
            StepExplanation e = explain(pipeline.step(name));
            verdicts.put(name, e);
            result.add(e);
        }
        return result;
    }

    private StepExplanation explain(Step step) {
        if (step.when().isPresent() && !step.when().get().evaluate(params)) {
            return verdict(
                    step,
                    StepExplanation.Verdict.SKIP,
                    "",
                    "condition '" + step.when().get() + "' is false");
        }
        for (String input : step.inputs().values()) {
            Optional<OutputRef> ref = OutputRef.parse(input);
            if (ref.isPresent() && !produced.containsKey(ref.get().step())) {
                StepExplanation up = verdicts.get(ref.get().step());
                String why = up.verdict() == StepExplanation.Verdict.SKIP
                        ? "upstream step '" + ref.get().step() + "' will be skipped"
                        : "upstream step '" + ref.get().step() + "' will run, so its outputs are not known yet";
                return verdict(
                        step,
                        up.verdict() == StepExplanation.Verdict.SKIP
                                ? StepExplanation.Verdict.SKIP
                                : StepExplanation.Verdict.MISS,
                        "",
                        why);
            }
        }
        if (step.action() instanceof StepAction.Uses u
                && parts.builtins().find(u.builtin()).isEmpty()) {
            return verdict(step, StepExplanation.Verdict.MISS, "", "unknown built-in step '" + u.builtin() + "'");
        }
        PreparedStep prepared;
        try {
            prepared = PreparedStep.prepare(
                    pipeline,
                    step,
                    params,
                    produced,
                    ref -> parts.resolve(ref, pipeline.projectDir()),
                    fingerprints,
                    parts.builtins()::require);
        } catch (CairnException | UncheckedIOException e) {
            return verdict(step, StepExplanation.Verdict.MISS, "", e.getMessage());
        }
        String key = prepared.key().key();
        Optional<RunStore.CacheEntry> entry = parts.store().findCacheEntry(key);
        if (entry.isPresent() && entry.get().outputs().values().stream().allMatch(parts.outputs()::available)) {
            produced.put(step.name(), entry.get().outputs());
            return verdict(
                    step,
                    StepExplanation.Verdict.HIT,
                    key,
                    "same key as pipeline run " + entry.get().sourcePipelineRunId());
        }
        Optional<String> last = parts.store().lastKeyComponents(pipeline.name(), step.name());
        if (last.isEmpty()) {
            return verdict(step, StepExplanation.Verdict.MISS, key, "never ran before");
        }
        List<String> reasons = CacheKeys.differences(last.get(), prepared.key().componentsJson());
        if (reasons.isEmpty()) {
            reasons = List.of(
                    entry.isPresent()
                            ? "cached outputs are missing from the blob store"
                            : "its last execution with this key did not succeed");
        }
        return new StepExplanation(step.name(), StepExplanation.Verdict.MISS, key, reasons);
    }

    private static StepExplanation verdict(Step step, StepExplanation.Verdict verdict, String key, String reason) {
        return new StepExplanation(step.name(), verdict, key, List.of(reason));
    }
}
