package dev.cairn.lineage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.core.CairnException;
import dev.cairn.tracking.DatasetInput;
import java.util.List;
import org.junit.jupiter.api.Test;

class LineageUriTest {
    @Test
    void eachSchemeHasItsKind() {
        assertThat(LineageUri.kindOf("cairn-dataset:/flights/3")).isEqualTo(LineageUri.Kind.DATASET);
        assertThat(LineageUri.kindOf("runs:/abc")).isEqualTo(LineageUri.Kind.RUN);
        assertThat(LineageUri.kindOf(LineageUri.artifact("abc", "/model/model.onnx")))
                .isEqualTo(LineageUri.Kind.ARTIFACT);
        assertThat(LineageUri.artifact("abc", "/model")).isEqualTo("runs:/abc/artifacts/model");
        assertThat(LineageUri.kindOf("models:/m/1")).isEqualTo(LineageUri.Kind.MODEL);
        assertThat(LineageUri.kindOf("deployments:/d")).isEqualTo(LineageUri.Kind.DEPLOYMENT);
        assertThat(LineageUri.kindOf("monitors:/m")).isEqualTo(LineageUri.Kind.MONITOR);
        assertThat(LineageUri.kindOf("requests:/r")).isEqualTo(LineageUri.Kind.REQUEST);
    }

    @Test
    void namesWithSlashesAreRejected() {
        assertThatThrownBy(() -> LineageUri.dataset("a/b", 1))
                .isInstanceOf(CairnException.class)
                .hasMessageContaining("'a/b'");
        assertThatThrownBy(() -> LineageUri.validate("runs:/")).hasMessageContaining("'runs:/'");
    }

    @Test
    void onlyCairnDatasetInputsBecomeConsumedEdges() {
        DatasetInput cairn = new DatasetInput(
                new DatasetInput.Dataset("flights", "3f2a91c0aa11", "cairn", "cairn-dataset:/flights/3", "", ""),
                List.of());
        DatasetInput s3 = new DatasetInput(
                new DatasetInput.Dataset("raw", "abcd", "s3", "s3://bucket/raw.csv", "", ""), List.of());
        DatasetInput malformed = new DatasetInput(
                new DatasetInput.Dataset("x", "abcd", "cairn", "cairn-dataset:/x/latest", "", ""), List.of());

        List<LineageEdge> edges = DatasetInputEdges.consumedBy("r9", List.of(cairn, s3, malformed));

        assertThat(edges).hasSize(1);
        assertThat(edges.get(0).source()).isEqualTo("cairn-dataset:/flights/3");
        assertThat(edges.get(0).target()).isEqualTo("runs:/r9");
        assertThat(edges.get(0).type()).isEqualTo(EdgeType.CONSUMED);
        assertThat(edges.get(0).attributes()).containsEntry("digest", "3f2a91c0aa11");
    }
}
