package dev.cairn.provenance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProvenanceCaptureTest {
    @TempDir
    Path tmp;

    @Test
    void aDirtyWorkingTreeRecordsCommitDiffDigestAndUntrackedFiles() throws Exception {
        Path repo = Files.createDirectories(tmp.resolve("repo"));
        git(repo, "init", "-q");
        Files.writeString(repo.resolve("train.py"), "print('v1')\n");
        Files.createDirectories(repo.resolve("src"));
        git(repo, "add", "-A");
        git(repo, "-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "-q", "-m", "first");
        String head = git(repo, "rev-parse", "HEAD").strip();
        Files.writeString(repo.resolve("train.py"), "print('v2')\n");
        Files.writeString(repo.resolve("src/new.txt"), "untracked\n");

        CapturedProvenance captured = ProvenanceCapture.capture(
                repo.resolve("src"), Map.of("numpy", 7L, "java", 42L), EntryPoint.process(List.of("train", "--x")));

        CodeVersion.Git code = (CodeVersion.Git) captured.provenance().code();
        assertThat(code.commit()).isEqualTo(head);
        assertThat(code.dirty()).isTrue();
        assertThat(code.untrackedFiles()).containsExactly("src/new.txt");
        assertThat(code.subdirectory()).isEqualTo("src");
        assertThat(code.diffSha256()).isEqualTo(ProvenanceCapture.sha256(captured.diff()));
        String diff = new String(captured.diff(), StandardCharsets.UTF_8);
        assertThat(diff).contains("+print('v2')").contains("+untracked");

        // The recorded diff rebuilds the working tree on a clean checkout of the commit.
        Path clone = tmp.resolve("clone");
        git(tmp, "clone", "-q", repo.toString(), clone.toString());
        Path patch = tmp.resolve("changes.diff");
        Files.write(patch, captured.diff());
        git(clone, "apply", "--binary", patch.toString());
        assertThat(Files.readString(clone.resolve("train.py"))).isEqualTo("print('v2')\n");
        assertThat(Files.readString(clone.resolve("src/new.txt"))).isEqualTo("untracked\n");
    }

    @Test
    void aCleanTreeHasTheDigestOfTheEmptyDiff() throws Exception {
        Path repo = Files.createDirectories(tmp.resolve("clean"));
        git(repo, "init", "-q");
        Files.writeString(repo.resolve("a.txt"), "a\n");
        git(repo, "add", "-A");
        git(repo, "-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "-q", "-m", "first");

        CapturedProvenance captured = ProvenanceCapture.capture(repo, Map.of(), EntryPoint.process(List.of()));

        CodeVersion.Git code = (CodeVersion.Git) captured.provenance().code();
        assertThat(code.dirty()).isFalse();
        assertThat(captured.diff()).isEmpty();
        assertThat(code.diffSha256()).isEqualTo("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    }

    @Test
    void aDirectoryOutsideGitGivesANoCodeVersionRecord() throws Exception {
        Path plain = Files.createDirectories(tmp.resolve("plain"));
        CapturedProvenance captured = ProvenanceCapture.capture(plain, Map.of(), EntryPoint.process(List.of("x")));
        assertThat(captured.provenance().code()).isInstanceOf(CodeVersion.None.class);
        assertThat(((CodeVersion.None) captured.provenance().code()).reason())
                .contains("no code version")
                .contains("not inside a git working tree");
        assertThat(captured.diff()).isEmpty();
    }

    @Test
    void aRepositoryWithoutCommitsSaysSo() throws Exception {
        Path repo = Files.createDirectories(tmp.resolve("empty"));
        git(repo, "init", "-q");
        CodeVersion code = ProvenanceCapture.capture(repo, Map.of(), EntryPoint.process(List.of()))
                .provenance()
                .code();
        assertThat(((CodeVersion.None) code).reason()).contains("has no commit yet");
    }

    @Test
    void jsonIsDeterministicAndReadsBack() throws Exception {
        Path plain = Files.createDirectories(tmp.resolve("plain"));
        EntryPoint step = new EntryPoint(
                EntryPoint.STEP,
                "train",
                List.of("java", "Train.java"),
                new TreeMap<>(Map.of("rounds", "50")),
                List.of(
                        new EntryPoint.Input("data", "dataset:flights", "/x/flights", "ab12", "dataset"),
                        new EntryPoint.Input("code", "Train.java", "/p/Train.java", "cd34", "file")));
        Provenance a =
                ProvenanceCapture.capture(plain, Map.of("b", 2L, "a", 1L), step).provenance();
        Provenance b =
                ProvenanceCapture.capture(plain, Map.of("a", 1L, "b", 2L), step).provenance();

        assertThat(a.toJson()).isEqualTo(b.toJson());
        assertThat(a.environmentFingerprint())
                .isEqualTo(b.environmentFingerprint())
                .matches("[0-9a-f]{64}");
        assertThat(a.toJson()).contains("\"seeds\":{\"a\":1,\"b\":2}");
        assertThat(Provenance.fromJson(a.toJson())).isEqualTo(a);
        assertThat(Provenance.fromJson(a.toJson()).toJson()).isEqualTo(a.toJson());
        assertThat(a.entryPoint().inputs()).extracting(EntryPoint.Input::name).containsExactly("code", "data");
    }

    @Test
    void aRecordOfAnotherFormatIsRefusedNamingTheField() {
        assertThatThrownBy(() -> Provenance.fromJson("{\"format\":\"cairn-provenance/1\"}"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'environment' is missing");
        assertThatThrownBy(() -> Provenance.fromJson("{\"format\":\"other/9\"}"))
                .hasMessageContaining("got 'other/9'");
    }

    @Test
    void tagsNameCommitDirtinessEnvironmentSeedsAndTheRecordDigest() throws Exception {
        Path repo = Files.createDirectories(tmp.resolve("tagged"));
        git(repo, "init", "-q");
        Files.writeString(repo.resolve("a.txt"), "a\n");
        git(repo, "add", "-A");
        git(repo, "-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "-q", "-m", "first");
        Files.writeString(repo.resolve("a.txt"), "b\n");
        CapturedProvenance captured =
                ProvenanceCapture.capture(repo, Map.of("xgboost", 42L), EntryPoint.process(List.of("java", "Main")));
        String json = captured.provenance().toJson();

        Map<String, String> tags = ProvenanceTags.of(captured.provenance(), json);

        assertThat(tags)
                .containsEntry(
                        ProvenanceTags.GIT_COMMIT,
                        git(repo, "rev-parse", "HEAD").strip())
                .containsEntry(ProvenanceTags.GIT_DIRTY, "true")
                .containsEntry(ProvenanceTags.GIT_DIFF_SHA256, ProvenanceCapture.sha256(captured.diff()))
                .containsEntry("cairn.seed.xgboost", "42")
                .containsEntry(ProvenanceTags.COMMAND_LINE, "java Main")
                .containsEntry(
                        ProvenanceTags.PROVENANCE_SHA256,
                        ProvenanceCapture.sha256(json.getBytes(StandardCharsets.UTF_8)));
        assertThat(tags.get(ProvenanceTags.ENVIRONMENT_FINGERPRINT))
                .isEqualTo(captured.provenance().environmentFingerprint());
        assertThat(tags.keySet()).allSatisfy(k -> assertThat(k).matches("(cairn|mlflow)\\..+"));
    }

    @Test
    void theCurrentProcessRecordsItsOwnCommandLine() {
        Provenance p =
                ProvenanceCapture.captureCurrentProcess(Map.of("seed", 42L)).provenance();
        assertThat(p.commandLine()).isNotEmpty();
        assertThat(p.commandLine().get(0)).contains("java");
        assertThat(p.seeds()).containsEntry("seed", 42L);
    }

    @Test
    void theClasspathJarsAreListedWithDigests() {
        List<Dependency> deps = ProvenanceCapture.classpathDependencies();
        assertThat(deps).isNotEmpty();
        assertThat(deps).anySatisfy(d -> assertThat(d.fileName()).startsWith("jackson-databind"));
        assertThat(deps).allSatisfy(d -> assertThat(d.sha256()).matches("[0-9a-f]{64}"));
    }

    @Test
    void aJarsManifestClassPathIsFollowedAsJavaDashJarDoes() throws Exception {
        Path lib = Files.createDirectories(tmp.resolve("dist/lib"));
        Files.write(lib.resolve("dep.jar"), new byte[] {1, 2, 3});
        java.util.jar.Manifest manifest = new java.util.jar.Manifest();
        manifest.getMainAttributes().put(java.util.jar.Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().put(java.util.jar.Attributes.Name.CLASS_PATH, "lib/dep.jar lib/missing.jar");
        Path app = tmp.resolve("dist/app.jar");
        try (var out = new java.util.jar.JarOutputStream(Files.newOutputStream(app), manifest)) {
            out.flush();
        }

        List<Dependency> deps = ProvenanceCapture.dependencies(List.of(app.toString()));

        assertThat(deps).extracting(Dependency::fileName).containsExactly("app.jar", "dep.jar");
        assertThat(deps.get(1).sha256()).isEqualTo(ProvenanceCapture.sha256(new byte[] {1, 2, 3}));
    }

    private static String git(Path dir, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("git", "-C", dir.toString()));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as("git %s: %s", args, out).isZero();
        return out;
    }
}
