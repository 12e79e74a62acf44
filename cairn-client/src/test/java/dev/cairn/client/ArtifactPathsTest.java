package dev.cairn.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ArtifactPathsTest {
    @Test
    void proxyPathComesFromTheRunsArtifactUri() {
        assertThat(ArtifactPaths.endpoint("mlflow-artifacts:/3/abc/artifacts", "models/model.onnx"))
                .isEqualTo("/api/2.0/mlflow-artifacts/artifacts/3/abc/artifacts/models/model.onnx");
        assertThat(ArtifactPaths.endpoint("mlflow-artifacts://cairn.example:5000/3/abc/artifacts", "a.txt"))
                .isEqualTo("/api/2.0/mlflow-artifacts/artifacts/3/abc/artifacts/a.txt");
    }

    @Test
    void eachSegmentIsPercentEncoded() {
        assertThat(ArtifactPaths.endpoint("mlflow-artifacts:/3/abc/artifacts", "my plots/roc+pr #1.png"))
                .endsWith("/artifacts/my%20plots/roc%2Bpr%20%231.png");
    }

    @Test
    void pathsThatCouldEscapeTheRunAreRefusedBeforeSending() {
        assertThatThrownBy(() -> ArtifactPaths.relative("../other-run/x")).hasMessageContaining("'..'");
        assertThatThrownBy(() -> ArtifactPaths.relative("/etc/passwd")).hasMessageContaining("relative");
        assertThatThrownBy(() -> ArtifactPaths.relative("a\\\\b")).hasMessageContaining("'/'");
        assertThat(ArtifactPaths.relative("models//v1/")).isEqualTo("models/v1");
    }

    @Test
    void artifactUrisOutsideTheProxyAreRefused() {
        assertThatThrownBy(() -> ArtifactPaths.endpoint("s3://bucket/3/abc/artifacts", "a.txt"))
                .isInstanceOf(CairnClientException.class)
                .hasMessageContaining("s3://bucket/3/abc/artifacts");
    }

    @Test
    void trackingUriMustBeHttpWithAHost() {
        assertThat(RestTransport.parseBase("http://127.0.0.1:5000/").toString()).isEqualTo("http://127.0.0.1:5000");
        assertThatThrownBy(() -> RestTransport.parseBase("file:///tmp/mlruns")).hasMessageContaining("http://");
        assertThatThrownBy(() -> RestTransport.parseBase(" ")).hasMessageContaining("empty");
    }
}
