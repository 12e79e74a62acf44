package dev.cairn.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cairn.client.ArtifactFile;
import dev.cairn.client.ExperimentInfo;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonOutputTest {
    @Test
    void recordsPrintTheirComponentsInSnakeCase() throws Exception {
        JsonNode experiment =
                print(new ExperimentInfo("7", "flights", "mlflow-artifacts:/7", "active", 1, 2, Map.of()));
        assertThat(experiment.fieldNames())
                .toIterable()
                .containsExactly(
                        "experiment_id",
                        "name",
                        "artifact_location",
                        "lifecycle_stage",
                        "creation_time",
                        "last_update_time",
                        "tags");

        JsonNode file = print(new ArtifactFile("models/m.onnx", false, 42));
        assertThat(file.path("is_dir").isBoolean()).isTrue();
        assertThat(file.path("file_size").asLong()).isEqualTo(42);
    }

    private static JsonNode print(Object value) throws Exception {
        StringWriter text = new StringWriter();
        JsonOutput.print(new PrintWriter(text), value);
        return new ObjectMapper().readTree(text.toString());
    }
}
