package dev.cairn.artifacts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.core.CairnException;
import dev.cairn.core.ErrorCode;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ArtifactPathTest {
    @Test
    void aPlainRelativePathIsKeptAsItsSegments() {
        ArtifactPath path = ArtifactPath.fromUrl("model/data/weights.onnx");
        assertThat(path.segments()).containsExactly("model", "data", "weights.onnx");
        assertThat(path.value()).isEqualTo("model/data/weights.onnx");
        assertThat(path.name()).isEqualTo("weights.onnx");
        assertThat(path.parent()).contains(ArtifactPath.of("model/data"));
    }

    @Test
    void percentEncodingIsDecodedExactlyOnce() {
        assertThat(ArtifactPath.fromUrl("plots/loss%20curve.png").value()).isEqualTo("plots/loss curve.png");
        assertThat(ArtifactPath.fromUrl("caf%C3%A9/r%C3%A9sum%C3%A9.txt").value())
                .isEqualTo("café/résumé.txt");
        assertThat(ArtifactPath.fromUrl("a+b.txt").value())
                .as("'+' is not a space in a path")
                .isEqualTo("a+b.txt");
    }

    @Test
    void dotSegmentsAndOneTrailingSlashAreNormalizedAway() {
        assertThat(ArtifactPath.of("./a/./b/").value()).isEqualTo("a/b");
        assertThat(ArtifactPath.of("")).isEqualTo(ArtifactPath.ROOT);
        assertThat(ArtifactPath.of(".").isRoot()).isTrue();
    }

    @Test
    void namesThatMerelyContainDotsAreFine() {
        assertThat(ArtifactPath.of("a..b/.hidden/v1.2..3").segments()).containsExactly("a..b", ".hidden", "v1.2..3");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "..",
                "../etc/passwd",
                "a/../../etc/passwd",
                "a/..",
                "a/...",
                "%2e%2e/etc/passwd",
                "%2E%2E%2Fetc%2Fpasswd",
                "a/%2e%2e/%2e%2e/x",
                "%252e%252e/etc/passwd",
                "%252E%252E%252Fetc",
                "a%2fb",
                "a%5cb",
                "..%5c..%5cwindows",
                "/etc/passwd",
                "%2fetc/passwd",
                "//server/share",
                "\\\\server\\share",
                "C:\\Windows\\win.ini",
                "C:/Windows/win.ini",
                "c:",
                "file:///etc/passwd",
                "file:/etc/passwd",
                "s3://bucket/key",
                "http://evil/x",
                "mlflow-artifacts:/0/r/artifacts",
                "a\\b",
                "a;b",
                "a/..;/b",
                "a#/../../b",
                "a%23/../../b",
                "a?x=/../b",
                "a%3fx",
                "a%00b",
                "a\u0000b",
                "a\nb",
                "a%0d%0ab",
                "a\u007fb",
                "a\u0085b",
                "a//b",
                "a///",
                "/",
                "%",
                "%zz",
                "a%2",
                "%c0%ae%c0%ae/etc",
                "%e0%80%ae%e0%80%ae/etc",
                "%ff"
            })
    void attackShapesAreRejectedAsInvalidParameterValue(String attack) {
        assertThatThrownBy(() -> ArtifactPath.fromUrl(attack))
                .isInstanceOf(CairnException.class)
                .satisfies(e -> assertThat(((CairnException) e).code()).isEqualTo(ErrorCode.INVALID_PARAMETER_VALUE))
                .hasMessageStartingWith("Invalid artifact path");
    }

    @ParameterizedTest
    @ValueSource(strings = {"../x", "%2e%2e/x", "a/../b", "/x", "a\\b", "a#b", "a?b", "a;b", "file:/x", "a//b"})
    void decodedPathsFromQueryParametersAreCheckedAlike(String attack) {
        assertThatThrownBy(() -> ArtifactPath.of(attack)).isInstanceOf(CairnException.class);
    }

    @Test
    void theRecordConstructorCannotSmuggleInABadSegment() {
        for (List<String> segments : List.of(List.of(".."), List.of("a/b"), List.of(""), List.of("a#b"))) {
            assertThatThrownBy(() -> new ArtifactPath(segments)).isInstanceOf(CairnException.class);
        }
    }

    @Test
    void relativeToAndResolveAreInverse() {
        ArtifactPath root = ArtifactPath.of("1/abc/artifacts");
        ArtifactPath full = root.resolve("dir/file.txt");
        assertThat(full.value()).isEqualTo("1/abc/artifacts/dir/file.txt");
        assertThat(full.startsWith(root)).isTrue();
        assertThat(full.relativeTo(root).value()).isEqualTo("dir/file.txt");
        assertThat(ArtifactPath.of("1/abcd").startsWith(ArtifactPath.of("1/abc")))
                .isFalse();
        assertThatThrownBy(() -> ArtifactPath.of("2/x").relativeTo(root)).isInstanceOf(CairnException.class);
    }

    @Test
    void overlongPathsAreRejected() {
        assertThatThrownBy(() -> ArtifactPath.of("a/".repeat(3000))).isInstanceOf(CairnException.class);
        assertThatThrownBy(() -> ArtifactPath.of("x".repeat(300))).isInstanceOf(CairnException.class);
    }
}
