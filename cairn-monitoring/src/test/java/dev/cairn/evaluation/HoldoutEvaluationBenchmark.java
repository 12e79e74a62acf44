package dev.cairn.evaluation;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.List;

/**
 * Evaluation of a large holdout: candidate and baseline scorers, slices by origin and fairness across
 * it, over a flights table (for example {@code flights-3m.parquet} of vega-datasets, label
 * {@code delay > 15}). A program, not a test:
 * {@code java -cp ... dev.cairn.evaluation.HoldoutEvaluationBenchmark FILE [runs]}.
 */
public final class HoldoutEvaluationBenchmark {
    private HoldoutEvaluationBenchmark() {}

    public static void main(String[] args) {
        Path table = Path.of(args[0]);
        int runs = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        EvaluationGate gate = new EvaluationGate(
                List.of(ValueThreshold.atLeast(Metric.AUC, 0.55)),
                List.of(ChangeThreshold.absolute(Metric.AUC, 0.0)),
                List.of("origin"),
                1000,
                List.of(new SliceThreshold(Metric.AUC, SliceThreshold.Rule.MAX_DEGRADATION, 0.05)),
                List.of("origin"),
                List.of(new FairnessThreshold(FairnessMetric.DEMOGRAPHIC_PARITY_DIFFERENCE, 0.5)));
        for (int run = 0; run < runs; run++) {
            long cpu = os.getProcessCpuTime();
            long start = System.nanoTime();
            GatedEvaluation e = HoldoutEvaluation.binary(table, "delay > 15")
                    .candidate(HoldoutEvaluationTest.CANDIDATE)
                    .baseline(HoldoutEvaluationTest.BASELINE)
                    .bless(gate);
            double seconds = (System.nanoTime() - start) / 1e9;
            System.out.printf(
                    "run %d: %d rows, %d slices, %.2f s wall, %.2f s CPU, candidate auc %.6f, baseline auc %.6f, %s%n",
                    run,
                    e.result().overall().count(),
                    e.result().slices().size(),
                    seconds,
                    (os.getProcessCpuTime() - cpu) / 1e9,
                    e.result().overall().candidate().value(Metric.AUC).orElse(Double.NaN),
                    e.result()
                            .overall()
                            .baseline()
                            .orElseThrow()
                            .value(Metric.AUC)
                            .orElse(Double.NaN),
                    e.blessing().verdict());
        }
    }
}
