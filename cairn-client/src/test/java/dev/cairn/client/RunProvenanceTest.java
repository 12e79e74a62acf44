package dev.cairn.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.provenance.CodeVersion;
import dev.cairn.provenance.Provenance;
import dev.cairn.provenance.ProvenanceCapture;
import dev.cairn.provenance.ProvenanceTags;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A run started through the SDK records how it was made, against a real server and a real git repository. */
@Timeout(120)
class RunProvenanceTest {
    @TempDir
    static Path home;

    static ServerFixture server;
    static Cairn cairn;

    @BeforeAll
    static void start() {
        server = ServerFixture.start(home);
        cairn = Cairn.connect(server.url());
    }

    @AfterAll
    static void stop() {
        cairn.close();
        server.close();
    }

    @Test
    void aStartedRunCarriesCommitDiffEnvironmentSeedsAndCommandLine(@TempDir Path repo) throws Exception {
        git(repo, "init", "-q");
        Files.writeString(repo.resolve("Train.java"), "class Train {}\n");
        git(repo, "add", "-A");
        git(repo, "-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "-q", "-m", "first");
        Files.writeString(repo.resolve("Train.java"), "class Train { int rounds = 50; }\n");

        String runId;
        try (ActiveRun run = cairn.experiment("provenance")
                .newRun()
                .name("seeded")
                .seed("xgboost", 42)
                .workingDirectory(repo)
                .start()) {
            runId = run.id();
        }

        Run run = cairn.runs().get(runId);
        String commit = git(repo, "rev-parse", "HEAD").strip();
        assertThat(run.tags())
                .containsEntry(ProvenanceTags.GIT_COMMIT, commit)
                .containsEntry(ProvenanceTags.MLFLOW_GIT_COMMIT, commit)
                .containsEntry(ProvenanceTags.GIT_DIRTY, "true")
                .containsEntry("cairn.seed.xgboost", "42")
                .containsEntry(
                        ProvenanceTags.OS,
                        System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
                                + System.getProperty("os.arch"))
                .containsKeys(ProvenanceTags.JAVA, ProvenanceTags.ENVIRONMENT_FINGERPRINT, ProvenanceTags.COMMAND_LINE);
        assertThat(run.tags().get(ProvenanceTags.COMMAND_LINE)).contains("java");

        byte[] json = cairn.runs().readArtifact(runId, Provenance.ARTIFACT_PATH);
        assertThat(run.tags()).containsEntry(ProvenanceTags.PROVENANCE_SHA256, ProvenanceCapture.sha256(json));
        Provenance recorded = Provenance.fromJson(new String(json, StandardCharsets.UTF_8));
        assertThat(((CodeVersion.Git) recorded.code()).commit()).isEqualTo(commit);
        assertThat(recorded.seeds()).containsEntry("xgboost", 42L);
        assertThat(recorded.dependencies())
                .anySatisfy(d -> assertThat(d.fileName()).startsWith("jackson-databind"));

        byte[] diff = cairn.runs().readArtifact(runId, Provenance.DIFF_ARTIFACT_PATH);
        assertThat(new String(diff, StandardCharsets.UTF_8)).contains("+class Train { int rounds = 50; }");
        assertThat(run.tags()).containsEntry(ProvenanceTags.GIT_DIFF_SHA256, ProvenanceCapture.sha256(diff));
    }

    @Test
    void provenanceCanBeLeftOut() {
        String runId;
        try (ActiveRun run =
                cairn.experiment("provenance").newRun().withoutProvenance().start()) {
            runId = run.id();
        }
        Run run = cairn.runs().get(runId);
        assertThat(run.tags().keySet()).noneMatch(k -> k.startsWith("cairn."));
        assertThat(cairn.runs().listArtifacts(runId, "")).isEmpty();
    }

    @Test
    void nestedRunsRecordProvenanceToo() {
        String childId;
        try (ActiveRun parent = cairn.experiment("provenance").startRun("parent");
                ActiveRun child = parent.startNestedRun("child")) {
            childId = child.id();
        }
        assertThat(cairn.runs().get(childId).tags())
                .containsKey(ProvenanceTags.ENVIRONMENT_FINGERPRINT)
                .containsKey(ActiveRun.PARENT_RUN_ID_TAG);
    }

    private static String git(Path dir, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("git", "-C", dir.toString()));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as("git %s: %s", List.of(args), out).isZero();
        return out;
    }
}
