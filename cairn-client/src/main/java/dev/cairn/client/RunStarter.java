package dev.cairn.client;

import dev.cairn.provenance.CapturedProvenance;
import dev.cairn.provenance.ProvenanceCapture;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Options of a run about to start: its name, the random seeds the training code uses, and whether
 * to record provenance (on by default: git commit, uncommitted diff, JVM, OS, classpath jars with
 * digests, seeds and command line, as {@code cairn.*} tags and the {@code provenance/} artifacts).
 */
public final class RunStarter {
    /** The environment variable {@code cairn reproduce} sets to the id of the run it re-runs. */
    public static final String REPRODUCTION_OF_VARIABLE = "CAIRN_REPRODUCTION_OF";

    /** The tag that links a reproduction's run to the run it reproduces. */
    public static final String REPRODUCTION_OF_TAG = "cairn.reproduction.of";

    private final Cairn cairn;
    private final String experimentId;
    private final Map<String, String> extraTags;
    private String name = "";
    private final Map<String, Long> seeds = new TreeMap<>();
    private boolean provenance = true;
    private Path workingDirectory = Path.of("").toAbsolutePath();

    RunStarter(Cairn cairn, String experimentId, Map<String, String> extraTags) {
        this.cairn = cairn;
        this.experimentId = experimentId;
        this.extraTags = new LinkedHashMap<>(extraTags);
        // Set by `cairn reproduce` when it re-runs a recorded command line: links the new run to the old.
        String reproductionOf = System.getenv(REPRODUCTION_OF_VARIABLE);
        if (reproductionOf != null && !reproductionOf.isBlank()) {
            this.extraTags.putIfAbsent(REPRODUCTION_OF_TAG, reproductionOf);
        }
    }

    public RunStarter name(String runName) {
        Experiments.requireText("run name", runName);
        this.name = runName;
        return this;
    }

    /** Declares a random seed the run uses, recorded as {@code cairn.seed.<name>} and in the provenance. */
    public RunStarter seed(String seedName, long value) {
        Experiments.requireText("seed name", seedName);
        seeds.put(seedName, value);
        return this;
    }

    /** The directory whose git state is recorded; the process's working directory by default. */
    public RunStarter workingDirectory(Path directory) {
        this.workingDirectory = directory.toAbsolutePath();
        return this;
    }

    /** Starts the run without capturing provenance (no git calls, no jar digests, no extra artifacts). */
    public RunStarter withoutProvenance() {
        this.provenance = false;
        return this;
    }

    public ActiveRun start() {
        Optional<CapturedProvenance> captured = provenance
                ? Optional.of(ProvenanceCapture.capture(
                        workingDirectory,
                        seeds,
                        dev.cairn.provenance.EntryPoint.process(ProvenanceCapture.currentCommandLine())))
                : Optional.empty();
        return ActiveRun.start(cairn, experimentId, name, extraTags, captured);
    }
}
