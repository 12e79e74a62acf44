package dev.cairn.drift;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Drift over 1 million rows x 20 columns (12 numeric, 8 categorical), reference and current: streams
 * both into windows (columns fed in parallel on the available cores) and compares them. A program,
 * not a test: {@code java -cp ... dev.cairn.drift.DriftBenchmark [rows] [threads]} (see the README).
 */
public final class DriftBenchmark {
    private static final int NUMERIC = 12;
    private static final int CATEGORICAL = 8;

    private DriftBenchmark() {}

    public static void main(String[] args) throws Exception {
        int rows = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        int threads = args.length > 1
                ? Integer.parseInt(args[1])
                : Runtime.getRuntime().availableProcessors();
        Table reference = Table.generate(rows, 1, false);
        Table current = Table.generate(rows, 2, true);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            double[] seconds = new double[7];
            DriftReport report = null;
            com.sun.management.OperatingSystemMXBean os = (com.sun.management.OperatingSystemMXBean)
                    java.lang.management.ManagementFactory.getOperatingSystemMXBean();
            for (int run = 0; run < seconds.length; run++) {
                long cpu = os.getProcessCpuTime();
                long start = System.nanoTime();
                report = run(reference, current, pool);
                seconds[run] = (System.nanoTime() - start) / 1e9;
                // CPU time shows the work done when other processes compete for the cores.
                System.out.printf(
                        "run %d: %.3f s wall, %.3f s CPU%n",
                        run + 1, seconds[run], (os.getProcessCpuTime() - cpu) / 1e9);
            }
            double[] warm = Arrays.copyOfRange(seconds, 2, seconds.length);
            Arrays.sort(warm);
            System.out.printf(
                    "rows=%d columns=%d threads=%d first=%.3f s median(warm)=%.3f s drifted=%d/%d share=%.2f%n",
                    rows,
                    NUMERIC + CATEGORICAL,
                    threads,
                    seconds[0],
                    warm[warm.length / 2],
                    report.driftedColumns(),
                    report.testedColumns(),
                    report.driftShare());
            for (ColumnDrift c : report.columns()) {
                // Outside the timed runs: the exact statistic on all values, to show the binning error.
                String exact = "";
                if (c.kind() == ColumnKind.NUMERIC) {
                    int i = Integer.parseInt(c.column().substring(1));
                    double value = DriftStatistics.normedWasserstein(reference.numeric[i], current.numeric[i])
                            .score();
                    exact = String.format(" exact=%.6f error=%.2e", value, Math.abs(value - c.score()));
                }
                System.out.printf(
                        "  %-4s %-14s score=%.6f bound=%.6f drifted=%s%s%n",
                        c.column(), c.test().id(), c.score(), c.errorBound(), c.drifted(), exact);
            }
        } finally {
            pool.shutdown();
        }
    }

    static DriftReport run(Table reference, Table current, ExecutorService pool) throws Exception {
        List<DriftColumn> columns = Table.columns();
        Window ref = Window.forReference(columns);
        feed(ref, reference, pool);
        ReferenceProfile profile = ReferenceProfile.of(ref);
        Window cur = profile.newWindow();
        feed(cur, current, pool);
        return DriftAnalysis.compare(profile, cur, DriftOptions.defaults());
    }

    /** Distinct columns share no state, so each column is fed by one task. */
    private static void feed(Window window, Table table, ExecutorService pool) throws Exception {
        List<Future<?>> tasks = new ArrayList<>();
        for (int c = 0; c < NUMERIC; c++) {
            int column = c;
            tasks.add(pool.submit(() -> window.acceptNumbers(column, table.numeric[column], 0, table.rows)));
        }
        for (int c = 0; c < CATEGORICAL; c++) {
            int column = NUMERIC + c;
            String[] values = table.categorical[c];
            tasks.add(pool.submit(() -> {
                for (int i = 0; i < table.rows; i++) {
                    window.acceptCategory(column, values[i]);
                }
            }));
        }
        for (Future<?> task : tasks) {
            task.get();
        }
    }

    /** Columns of generated data: normal, log-normal, integer-valued and categorical with skewed frequencies. */
    record Table(int rows, double[][] numeric, String[][] categorical) {
        static List<DriftColumn> columns() {
            List<DriftColumn> columns = new ArrayList<>();
            for (int c = 0; c < NUMERIC; c++) {
                columns.add(DriftColumn.numeric("n" + c));
            }
            for (int c = 0; c < CATEGORICAL; c++) {
                columns.add(DriftColumn.categorical("c" + c));
            }
            return columns;
        }

        static Table generate(int rows, long seed, boolean shifted) {
            Random random = new Random(seed);
            double[][] numeric = new double[NUMERIC][rows];
            for (int c = 0; c < NUMERIC; c++) {
                double shift = shifted && c % 3 == 0 ? 0.2 : 0.0;
                for (int i = 0; i < rows; i++) {
                    double g = random.nextGaussian() + shift;
                    numeric[c][i] = switch (c % 3) {
                        case 0 -> 100 + 15 * g;
                        case 1 -> Math.exp(g);
                        default -> Math.floor(50 + 20 * g);
                    };
                }
            }
            String[][] categorical = new String[CATEGORICAL][rows];
            for (int c = 0; c < CATEGORICAL; c++) {
                int k = 5 + 10 * c;
                String[] names = new String[k];
                for (int j = 0; j < k; j++) {
                    names[j] = "cat" + c + "_" + j;
                }
                double skew = shifted && c % 2 == 0 ? 1.6 : 1.2;
                for (int i = 0; i < rows; i++) {
                    int j = (int) Math.min(k - 1, Math.floor(k * Math.pow(random.nextDouble(), skew)));
                    categorical[c][i] = names[j];
                }
            }
            return new Table(rows, numeric, categorical);
        }
    }
}
