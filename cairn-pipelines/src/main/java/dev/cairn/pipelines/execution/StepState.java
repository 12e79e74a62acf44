package dev.cairn.pipelines.execution;

import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/** Everything recorded for a step run: the public record plus the key components and log locations. */
record StepState(
        StepRunRecord record,
        Map<String, StoredOutput> storedOutputs,
        Optional<String> keyComponents,
        Optional<String> logDir,
        Optional<String> stdoutSha256,
        Optional<String> stderrSha256) {

    static StepState pending(String step) {
        return new StepState(
                new StepRunRecord(
                        step,
                        StepStatus.PENDING,
                        Optional.empty(),
                        Optional.empty(),
                        Optional.empty(),
                        0,
                        Optional.empty(),
                        Optional.empty(),
                        Map.of(),
                        OptionalLong.empty(),
                        OptionalLong.empty(),
                        OptionalLong.empty(),
                        OptionalLong.empty()),
                Map.of(),
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                Optional.empty());
    }

    StepState {
        storedOutputs = Map.copyOf(storedOutputs);
    }

    String step() {
        return record.step();
    }

    StepStatus status() {
        return record.status();
    }
}
