/**
 * Model cards: the sections of Google's Model Cards (model details, intended use, factors, metrics,
 * evaluation and training data, quantitative analyses, ethical considerations, caveats and
 * recommendations) plus the evaluation gate outcome, deployments and monitoring history, filled
 * only from what Cairn recorded about a model version.
 *
 * <h2>Where each section comes from</h2>
 * <ul>
 *   <li>Model details: the registry (name, version, stage, aliases, dates, descriptions, source), the
 *       producing run (creator, parameters, code commit from {@code cairn.source.git.commit} or
 *       {@code mlflow.source.git.commit}), the package manifest {@code cairn-model.json} beside the
 *       version's files (flavor, content hash) and the tags {@code cairn.card.owners},
 *       {@code cairn.card.license} and {@code cairn.card.links}.
 *   <li>Intended use, factors, ethical considerations, caveats: the tags
 *       {@code cairn.card.intended_use}, {@code cairn.card.factors},
 *       {@code cairn.card.ethical_considerations}, {@code cairn.card.caveats} of the version, else of
 *       the registered model (intended use falls back to the model's description). Factors also list
 *       the slice columns and fairness attributes the evaluation measured; caveats list skipped gate
 *       checks and records that could not be read.
 *   <li>Training and evaluation data: dataset nodes upstream of the version and of its run in lineage,
 *       the run's logged inputs, and the evaluation record's holdout; a run input tagged
 *       {@code mlflow.data.context} = {@code evaluation}, {@code validation}, {@code test} or
 *       {@code holdout} is evaluation data.
 *   <li>Metrics and quantitative analyses: the run's latest metrics and the evaluation record written
 *       by {@link dev.cairn.cards.EvaluationRecords} (overall, slices, fairness, every gate check
 *       with its threshold and verdict).
 *   <li>Evaluation gate: the {@code cairn.blessing*} tags and a promotion override, if any.
 *   <li>Deployments and monitoring: current deployments routing {@code models:/<name>/<version>} or
 *       an alias now on the version, and the latest windows and alerts of their monitors.
 * </ul>
 * A section with no recorded facts says "Not recorded" and names the record that would fill it.
 *
 * <h2>Rendering</h2>
 * {@link dev.cairn.cards.CardFormat} writes Markdown (CommonMark with GitHub tables) and one
 * self-contained HTML page (inline CSS, no script, a Content-Security-Policy that loads nothing)
 * from the same layout. Every recorded string is untrusted: Markdown punctuation is escaped and
 * {@code < > &} become entities, and HTML escapes {@code & < > " '}; control characters become U+FFFD.
 */
package dev.cairn.cards;
