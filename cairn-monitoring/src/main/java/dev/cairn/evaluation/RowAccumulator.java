package dev.cairn.evaluation;

/** The metrics of one model over one group of rows, for either task. */
interface RowAccumulator {
    void add(double label, double score);

    void addAll(RowAccumulator other);

    long count();

    MetricValues result();

    static RowAccumulator of(Task task, double threshold) {
        return task == Task.BINARY_CLASSIFICATION ? new Binary(new BinaryAccumulator(threshold)) : new Regression();
    }

    /** Binary classification: a label is positive when it is not 0. */
    record Binary(BinaryAccumulator acc) implements RowAccumulator {
        @Override
        public void add(double label, double score) {
            acc.add(label != 0, score);
        }

        @Override
        public void addAll(RowAccumulator other) {
            acc.addAll(((Binary) other).acc);
        }

        @Override
        public long count() {
            return acc.count();
        }

        @Override
        public MetricValues result() {
            return acc.result();
        }
    }

    /** Regression. */
    final class Regression implements RowAccumulator {
        private final RegressionAccumulator acc = new RegressionAccumulator();

        @Override
        public void add(double label, double score) {
            acc.add(label, score);
        }

        @Override
        public void addAll(RowAccumulator other) {
            acc.addAll(((Regression) other).acc);
        }

        @Override
        public long count() {
            return acc.count();
        }

        @Override
        public MetricValues result() {
            return acc.result();
        }
    }
}
