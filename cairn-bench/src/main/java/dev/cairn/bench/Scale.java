package dev.cairn.bench;

/**
 * How much work each measurement does. {@link #FULL} is the published benchmark; {@link #QUICK}
 * checks that the driver works end to end in a fraction of the time.
 *
 * @param ingestClients concurrent log-batch clients
 * @param ingestCalls log-batch calls per client (1000 points each)
 * @param logMetricCalls log-metric calls per client (16 clients)
 * @param searchRuns runs in the searched experiment (5 params, 5 metrics each)
 * @param searchRepetitions timed searches
 * @param historyRepetitions timed history reads
 * @param getRunCalls runs/get calls per connection (16 connections)
 * @param launches server launches for the start-up figures
 */
record Scale(
        int ingestClients,
        int ingestCalls,
        int logMetricCalls,
        int searchRuns,
        int searchRepetitions,
        int historyRepetitions,
        int getRunCalls,
        int launches) {
    static final Scale FULL = new Scale(4, 50, 2_000, 10_000, 40, 60, 3_000, 3);
    static final Scale QUICK = new Scale(2, 5, 50, 2_000, 5, 5, 200, 1);

    /**
     * Untimed calls before each measurement, so that the JIT has compiled the request path and the
     * connection pools are full: as many as are timed, at least two. The figures are steady-state
     * ones; with half as many, the compilers were still busy on the two shared cores when the
     * timing began.
     */
    int warmup(int timed) {
        return Math.max(2, timed);
    }
}
