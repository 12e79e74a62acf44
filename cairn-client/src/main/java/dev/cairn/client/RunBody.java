package dev.cairn.client;

/** Work done inside a run; see {@link Experiment#run(String, RunBody)}. */
@FunctionalInterface
public interface RunBody {
    void accept(ActiveRun run) throws Exception;
}
