package dev.cairn.cards;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.artifacts.ArtifactPath;
import dev.cairn.artifacts.ArtifactRepository;
import dev.cairn.artifacts.ArtifactRoot;
import dev.cairn.artifacts.BlobStore;
import dev.cairn.core.CairnException;
import dev.cairn.core.ErrorCode;
import dev.cairn.deployments.Deployments;
import dev.cairn.deployments.ModelSource;
import dev.cairn.evaluation.CheckStatus;
import dev.cairn.evaluation.EvaluationResult;
import dev.cairn.evaluation.Fairness;
import dev.cairn.evaluation.GateCheck;
import dev.cairn.evaluation.GatedEvaluation;
import dev.cairn.evaluation.Metric;
import dev.cairn.evaluation.Slice;
import dev.cairn.monitoring.MonitorResult;
import dev.cairn.monitoring.Monitors;
import dev.cairn.registry.NewModelVersion;
import dev.cairn.registry.RegistryStore;
import dev.cairn.serving.InferenceEngine;
import dev.cairn.serving.ServingConfig;
import dev.cairn.store.Database;
import dev.cairn.store.TestDatabases;
import dev.cairn.tracking.NewRun;
import dev.cairn.tracking.Tag;
import dev.cairn.tracking.TrackingStore;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Model cards assembled from real stores and rendered in both formats. */
class ModelCardTest {
    @TempDir
    Path temp;

    @ParameterizedTest
    @EnumSource(TestDatabases.Kind.class)
    void aCardCarriesTheRecordedFactsInEverySection(TestDatabases.Kind kind) throws Exception {
        try (Database db = kind.open();
                InferenceEngine engine = new InferenceEngine(ServingConfig.defaults());
                Monitors monitors = Monitors.open(db)) {
            ArtifactRepository artifacts = ArtifactRepository.over(db, BlobStore.local(temp.resolve("blobs")));
            TrackingStore tracking = TrackingStore.on(db);
            ModelSource source =
                    ModelSource.registry(RegistryStore.on(db, tracking), artifacts, temp.resolve("deployed"));
            try (Deployments deployments = Deployments.open(db, engine, source, Duration.ZERO)) {
                CardStory.Recorded story = CardStory.record(db, artifacts, deployments, monitors, temp);
                ModelCards cards = ModelCards.over(db, artifacts, deployments::list, monitors);

                ModelCard card = cards.card(CardStory.MODEL, "1");

                assertThat(card.notes()).isEmpty();
                assertThat(card.evaluation().orElseThrow().evaluation().blessing())
                        .isEqualTo(story.evaluation().blessing());
                Map<String, String> md = sections(CardFormat.MARKDOWN.render(card), "\n## ");
                Map<String, String> html = sections(CardFormat.HTML.render(card), "<h2>");
                assertThat(md.keySet()).containsExactlyElementsOf(html.keySet());
                assertThat(md.keySet())
                        .containsExactly(
                                "Model details",
                                "Intended use",
                                "Factors",
                                "Metrics",
                                "Evaluation data",
                                "Training data",
                                "Quantitative analyses",
                                "Ethical considerations",
                                "Caveats and recommendations",
                                "Evaluation gate (blessing)",
                                "Deployments",
                                "Monitoring: drift and performance history");
                assertDetails(md.get("Model details"), html.get("Model details"), story);
                assertThat(html.get("Intended use"))
                        .contains("Rank flights by delay risk for ground staffing.")
                        .contains("tag cairn.card.intended_use of registered model delays");
                assertThat(html.get("Factors")).contains("<dt>Slice columns</dt><dd>origin</dd>");
                assertThat(html.get("Metrics")).contains("auc", "log_loss", "train_auc");
                assertThat(md.get("Training data")).contains(CardStory.TRAINING, "sha256:aaa");
                assertThat(md.get("Training data")).doesNotContain(CardStory.HOLDOUT);
                assertThat(md.get("Evaluation data")).contains(CardStory.HOLDOUT, "sha256:bbb");
                assertQuantities(
                        html.get("Quantitative analyses"), story.evaluation().result(), story);
                assertThat(md.get("Ethical considerations")).contains("Not recorded");
                assertThat(md.get("Evaluation gate (blessing)")).contains("- **Outcome:** NOT_BLESSED");
                for (GateCheck failed : story.evaluation().blessing().failures()) {
                    assertThat(html.get("Evaluation gate (blessing)"))
                            .contains("<tr><td>" + HtmlWriter.escape(failed.reason()) + "</td></tr>");
                }
                assertThat(html.get("Deployments"))
                        .contains("<td>delays-prod</td><td>STABLE</td><td>stable</td><td>models:/delays@champion</td>"
                                + "<td>1</td><td>100</td>");
                assertMonitoring(html.get("Monitoring: drift and performance history"), story.windows());
            }
        }
    }

    private static void assertDetails(String md, String html, CardStory.Recorded story) {
        assertThat(md)
                .contains("- **Name:** delays", "- **Flavor:** test-gate", "- **License:** Apache-2.0")
                .contains("- **Owners:** ops-team, alice", "- **Aliases:** champion", "- **Creator:** alice")
                .contains("- **Code commit:** " + CardStory.COMMIT)
                .contains("- **Version description:** hour-of-day model")
                .contains(story.runId() + " (train-hours)");
        assertThat(md).contains("| max_depth | 6 |", "| learning_rate | 0.1 |");
        assertThat(html).contains("<dt>Content hash</dt><dd>").contains("<tr><td>max_depth</td><td>6</td></tr>");
    }

    private static void assertQuantities(String html, EvaluationResult result, CardStory.Recorded story) {
        double auc = result.overall().candidate().value(Metric.AUC).getAsDouble();
        double baseline =
                result.overall().baseline().orElseThrow().value(Metric.AUC).getAsDouble();
        assertThat(html).contains("<tr><td>auc</td><td>" + Text.number(auc) + "</td><td>" + Text.number(baseline));
        assertThat(html).contains("<tr><td>train_auc</td><td>0.8125</td><td>3</td></tr>");
        assertThat(result.slices()).hasSizeGreaterThan(2);
        for (Slice s : result.slices()) {
            assertThat(html)
                    .contains("<tr><td>origin</td><td>" + HtmlWriter.escape(s.value()) + "</td><td>"
                            + s.metrics().count() + "</td>");
        }
        Fairness fairness = result.fairness().get(0);
        assertThat(html)
                .contains("<tr><td>origin</td><td>" + Text.number(fairness.demographicParityDifference()) + "</td>");
        List<GateCheck> checks = story.evaluation().blessing().checks();
        assertThat(checks).extracting(GateCheck::kind).contains("slice", "fairness");
        for (GateCheck c : checks) {
            assertThat(html)
                    .contains("<tr><td>" + c.kind() + "</td><td>" + c.metric() + "</td><td>"
                            + HtmlWriter.escape(c.scope()) + "</td><td>" + Text.number(c.value()) + "</td><td>"
                            + Text.number(c.baseline()) + "</td><td>" + Text.number(c.threshold()) + "</td><td>"
                            + c.status() + "</td>");
        }
        assertThat(checks).extracting(GateCheck::status).contains(CheckStatus.PASSED, CheckStatus.FAILED);
    }

    private static void assertMonitoring(String html, List<MonitorResult> windows) {
        assertThat(windows.get(1).driftShare()).isGreaterThan(windows.get(0).driftShare());
        assertThat(html).contains("<h3>Monitor delays-drift of deployment delays-prod</h3>");
        for (MonitorResult w : windows) {
            assertThat(html)
                    .contains("<td>" + Text.time(w.windowEnd()) + "</td><td>OK</td><td>" + w.rowCount()
                            + "</td><td>0</td><td>" + Text.number(w.driftShare()) + "</td><td>"
                            + (w.datasetDrift() ? "yes" : "no") + "</td>");
        }
        assertThat(html).contains("<tr><td>drift</td><td>FIRING</td>");
    }

    @Test
    void hostileRecordedStringsAreEscapedAndTheHtmlLoadsNothing() throws Exception {
        String script = "<script>alert('x')</script>";
        String quotes = "\" onmouseover=\"alert(1)\" '";
        String link =
                "[click](javascript:alert(1)) ![img](http://evil.example/x.png) <img src=x onerror=alert(1)> _emph_ **bold**";
        try (Database db = TestDatabases.Kind.SQLITE.open();
                Monitors monitors = Monitors.open(db)) {
            TrackingStore tracking = TrackingStore.on(db);
            RegistryStore registry = RegistryStore.on(db, tracking);
            String experiment = tracking.createExperiment("hostile", Optional.empty(), List.of());
            String run = tracking.createRun(new NewRun(experiment, script, 0, Optional.of(quotes), List.of()))
                    .info()
                    .runId();
            tracking.logBatch(run, List.of(), List.of(new dev.cairn.tracking.Param("p", script)), List.of());
            registry.createRegisteredModel(
                    "hostile", List.of(new Tag(ModelCards.INTENDED_USE_TAG, link + "\n\n# heading\n- item")), script);
            registry.createModelVersion(new NewModelVersion(
                    "hostile",
                    "runs:/" + run + "/model",
                    run,
                    "",
                    quotes + "</td></tr></table>",
                    List.of(new Tag(ModelCards.CAVEATS_TAG, "1. " + script + "\u0007"))));
            ArtifactRepository artifacts = ArtifactRepository.over(db, BlobStore.local(temp.resolve("blobs")));
            ModelCard card = ModelCards.over(db, artifacts, List::of, monitors).card("hostile", "1");

            String html = CardFormat.HTML.render(card);
            assertThat(html).doesNotContain("<script", "<img", "onmouseover=\"", "\u0007", "<link");
            assertThat(html).doesNotContainPattern("<[^>]*\\s(src|href|on[a-z]+)=");
            assertThat(html)
                    .contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;")
                    .contains("&quot; onmouseover=&quot;alert(1)&quot; &#39;&lt;/td&gt;&lt;/tr&gt;&lt;/table&gt;")
                    .contains("<style>")
                    .contains("Content-Security-Policy");
            assertThat(html).doesNotContainPattern("(?i)url\\(|@import").containsOnlyOnce("</html>");

            String md = CardFormat.MARKDOWN.render(card);
            assertThat(md).doesNotContain("<script", "<img", "[click](", "\n# heading", "\n- item", "\n1. ");
            assertThat(md)
                    .contains("&lt;script&gt;alert('x')&lt;/script&gt;")
                    .contains("\\[click\\](javascript:alert(1))")
                    .contains("\\_emph\\_ \\*\\*bold\\*\\*")
                    .contains("\\# heading")
                    .contains("\\- item")
                    .contains("1\\. ");
        }
    }

    @Test
    void aVersionWithNothingRecordedSaysSoInEverySection() throws Exception {
        try (Database db = TestDatabases.Kind.SQLITE.open();
                Monitors monitors = Monitors.open(db)) {
            TrackingStore tracking = TrackingStore.on(db);
            RegistryStore registry = RegistryStore.on(db, tracking);
            String experiment = tracking.createExperiment("bare", Optional.empty(), List.of());
            String run = tracking.createRun(new NewRun(experiment, "", 0, Optional.empty(), List.of()))
                    .info()
                    .runId();
            registry.createRegisteredModel("bare", List.of(), "");
            registry.createModelVersion(NewModelVersion.of("bare", "runs:/" + run + "/model"));
            ArtifactRepository artifacts = ArtifactRepository.over(db, BlobStore.local(temp.resolve("blobs")));
            ModelCards cards = ModelCards.over(db, artifacts, List::of, monitors);

            Map<String, String> md = sections(CardFormat.MARKDOWN.render(cards.card("bare", "1")), "\n## ");

            assertThat(md.get("Model details"))
                    .contains("- **Flavor:** not recorded", "- **License:** not recorded", "- **Owners:** not recorded")
                    .contains("- **Creator:** not recorded", "- **Code commit:** not recorded")
                    .contains("- **Model description:** not recorded")
                    .contains("_Not recorded: the source run logged no parameters._");
            for (String section : List.of(
                    "Intended use",
                    "Metrics",
                    "Evaluation data",
                    "Training data",
                    "Quantitative analyses",
                    "Ethical considerations",
                    "Caveats and recommendations",
                    "Evaluation gate (blessing)",
                    "Monitoring: drift and performance history")) {
                assertThat(md.get(section)).as(section).contains("_Not recorded: ");
            }
            assertThat(md.get("Factors")).contains("No evaluated factors");
            assertThat(md.get("Deployments")).contains("_Not deployed: no current deployment routes traffic");

            // A record that exists but cannot be read becomes a note, never a failure.
            registry.setModelVersionTag(
                    "bare",
                    "1",
                    new Tag(
                            EvaluationRecords.TAG,
                            "mlflow-artifacts:/" + experiment + "/" + run + "/artifacts/gone.json"));
            registry.setModelVersionTag("bare", "1", new Tag("cairn.blessing.reasons", "not json"));
            ModelCard broken = cards.card("bare", "1");
            assertThat(broken.notes()).hasSize(2);
            assertThat(CardFormat.MARKDOWN.render(broken))
                    .contains("the evaluation record could not be read")
                    .contains("gone.json does not exist")
                    .contains("the blessing reasons could not be read");

            assertThatThrownBy(() -> cards.card("bare", "7"))
                    .isInstanceOfSatisfying(CairnException.class, e -> assertThat(e.code())
                            .isEqualTo(ErrorCode.RESOURCE_DOES_NOT_EXIST));
            assertThatThrownBy(() -> cards.card("nobody", "1"))
                    .isInstanceOfSatisfying(CairnException.class, e -> assertThat(e.code())
                            .isEqualTo(ErrorCode.RESOURCE_DOES_NOT_EXIST));
            assertThatThrownBy(() -> CardFormat.parse("pdf"))
                    .isInstanceOfSatisfying(CairnException.class, e -> assertThat(e.getMessage())
                            .contains("'pdf'"));
        }
    }

    @Test
    void anEvaluationStoredBesideTheVersionsRunIsFoundWithoutATag() throws Exception {
        try (Database db = TestDatabases.Kind.SQLITE.open();
                Monitors monitors = Monitors.open(db)) {
            TrackingStore tracking = TrackingStore.on(db);
            RegistryStore registry = RegistryStore.on(db, tracking);
            String experiment = tracking.createExperiment("beside", Optional.empty(), List.of());
            String run = tracking.createRun(new NewRun(experiment, "", 0, Optional.empty(), List.of()))
                    .info()
                    .runId();
            registry.createRegisteredModel("beside", List.of(), "");
            registry.createModelVersion(NewModelVersion.of("beside", "runs:/" + run + "/model"));
            registry.createModelVersion(NewModelVersion.of("beside", "runs:/" + run + "/model"));
            ArtifactRepository artifacts = ArtifactRepository.over(db, BlobStore.local(temp.resolve("blobs")));
            ModelCards cards = ModelCards.over(db, artifacts, List::of, monitors);
            GatedEvaluation evaluation = CardStory.evaluate();
            ArtifactRoot root = ArtifactRoot.ofRun(experiment, run);
            ArtifactPath path = ArtifactPath.of(EvaluationRecords.ARTIFACT_PATH);

            // The shape a pipeline's evaluate step writes: evaluation and blessing, no version named.
            artifacts.put(
                    root,
                    path,
                    utf8("{\"verdict\": \"x\", " + evaluation.toJson().substring(1)));
            for (String version : List.of("1", "2")) {
                assertThat(cards.card("beside", version)
                                .evaluation()
                                .orElseThrow()
                                .evaluation()
                                .blessing())
                        .isEqualTo(evaluation.blessing());
            }
            assertThat(cards.card("beside", "1")
                            .evaluation()
                            .orElseThrow()
                            .evaluation()
                            .result()
                            .slices())
                    .hasSameSizeAs(evaluation.result().slices());

            // A record naming version 1 is not version 2's.
            artifacts.put(
                    root,
                    path,
                    utf8("{\"model\": \"beside\", \"version\": 1, "
                            + evaluation.toJson().substring(1)));
            assertThat(cards.card("beside", "1").evaluation()).isPresent();
            assertThat(cards.card("beside", "2").evaluation()).isEmpty();
            assertThat(cards.card("beside", "2").notes()).isEmpty();
        }
    }

    private static java.io.InputStream utf8(String text) {
        return new java.io.ByteArrayInputStream(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    /** A rendered card split at its section headings: title to body. */
    static Map<String, String> sections(String text, String marker) {
        Map<String, String> out = new LinkedHashMap<>();
        String[] parts = text.split(java.util.regex.Pattern.quote(marker));
        for (int i = 1; i < parts.length; i++) {
            String part = parts[i];
            int end = marker.equals("<h2>") ? part.indexOf("</h2>") : part.indexOf('\n');
            String title = part.substring(0, end).replace("&amp;", "&").replace("\\", "");
            out.put(title, part.substring(end));
        }
        return out;
    }
}
