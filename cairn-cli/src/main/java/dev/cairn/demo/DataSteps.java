package dev.cairn.demo;

import dev.cairn.datasets.DatasetInputs;
import dev.cairn.datasets.DatasetVersion;
import dev.cairn.pipelines.builtin.BuiltinContext;
import dev.cairn.pipelines.builtin.BuiltinStep;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** The demo's data step: feature building with the shared encoder. */
final class DataSteps {
    private DataSteps() {}

    /** {@code uses: flights-features}: the shared encoder applied to every flight, split into training and holdout tables. */
    static final class Features implements BuiltinStep {
        private final StepParts parts;

        Features(StepParts parts) {
            this.parts = parts;
        }

        @Override
        public String name() {
            return "flights-features";
        }

        @Override
        public String version() {
            return "1";
        }

        @Override
        public void run(BuiltinContext context) {
            Path data = context.inputs().get("data");
            Flights.Encoder encoder =
                    StepParts.JSON.convertValue(StepParts.read(context.inputs().get("encoder")), Flights.Encoder.class);
            long[] counts = Flights.writeFeatures(
                    StepParts.table(data),
                    encoder,
                    context.outputs().get("train"),
                    context.outputs().get("holdout"));
            DatasetVersion version = parts.datasetOf(data);
            StepParts.log(
                    context,
                    Map.of("dataset", version.ref(), "features", String.join(",", Flights.Encoder.FEATURES)),
                    Map.of());
            // the pipeline's run consumed the version: the lineage of the model it registers goes back to the data
            context.tracking()
                    .logInputs(
                            context.pipelineRunId(),
                            List.of(DatasetInputs.input(parts.datasets().show(version.ref()), "training")));
            context.logMetric("train_rows", counts[0], 0);
            context.logMetric("holdout_rows", counts[1], 0);
            context.log().printf("%d training and %d holdout flights from %s%n", counts[0], counts[1], version.ref());
        }
    }
}
