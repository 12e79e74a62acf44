package dev.cairn.reproduce;

import dev.cairn.core.CairnException;
import dev.cairn.core.ErrorCode;
import dev.cairn.datasets.DatasetVersion;
import dev.cairn.datasets.DatasetVersions;
import dev.cairn.tracking.DatasetInput;
import dev.cairn.tracking.Run;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The dataset versions a run logged as inputs (MLflow's {@code log-inputs}, with source {@code
 * cairn-dataset:/NAME/VERSION} and the version's id as digest): restored for a re-run of a process
 * the way a pipeline step's dataset inputs are, each file's hash verified, and handed to it in
 * {@code CAIRN_INPUT_<NAME>} (the dataset name in upper case, {@code -} and {@code .} as {@code _}).
 */
final class LoggedDatasets {
    static final String SOURCE = "cairn-dataset:/";
    static final String VARIABLE_PREFIX = "CAIRN_INPUT_";

    /** One logged version: the dataset, its number, and the digest it was logged with (possibly empty). */
    record Logged(String name, int number, String digest) {
        /** The version pinned by content when the digest is an id prefix, else by number. */
        String ref() {
            return name + ":" + (digest.matches("[0-9a-f]{6,64}") ? digest : Integer.toString(number));
        }

        String shown() {
            return SOURCE + name + "/" + number + (digest.isEmpty() ? "" : " (id " + digest + ")");
        }
    }

    private LoggedDatasets() {}

    /** The Cairn dataset versions among the run's logged inputs, in logging order, each once. */
    static List<Logged> of(Run run) {
        Map<String, Logged> found = new LinkedHashMap<>();
        for (DatasetInput input : run.inputs()) {
            String source = input.dataset().source();
            if (!source.startsWith(SOURCE)) {
                continue;
            }
            String[] parts = source.substring(SOURCE.length()).split("/", -1);
            if (parts.length == 2 && !parts[0].isBlank() && parts[1].matches("[1-9][0-9]{0,8}")) {
                Logged logged = new Logged(
                        parts[0], Integer.parseInt(parts[1]), input.dataset().digest());
                found.putIfAbsent(logged.ref(), logged);
            }
        }
        return new ArrayList<>(found.values());
    }

    /**
     * Checks out every version {@code run} logged into {@code directory/<name>/<number>}, verifying
     * every file; returns the variables that name them. A version removed since, or a corrupted blob,
     * fails naming the version, the file and the run.
     */
    static Map<String, String> restore(DatasetVersions datasets, RecordedRun run, Path directory) {
        Map<String, String> variables = new LinkedHashMap<>();
        for (Logged logged : of(run.run())) {
            DatasetVersion version = resolve(datasets, run, logged);
            Path target = directory.resolve(version.name()).resolve(Integer.toString(logged.number()));
            try {
                datasets.checkout(version.name() + ":" + version.id(), target, false);
            } catch (CairnException e) {
                throw new CairnException(
                        e.code(),
                        "dataset version " + logged.shown() + " that run " + run.id() + " read cannot be restored: "
                                + e.getMessage(),
                        e);
            }
            // A dataset logged in several versions: the variable names the first, as logged.
            variables.putIfAbsent(variable(version.name()), target.toString());
        }
        return variables;
    }

    static String variable(String datasetName) {
        return VARIABLE_PREFIX
                + datasetName.toUpperCase(Locale.ROOT).replace('-', '_').replace('.', '_');
    }

    /** What the re-run logged differently from the record, as causes (empty when it logged the same versions). */
    static List<Reproduction.Cause> differences(Run recorded, Run again) {
        Set<String> before = shown(of(recorded));
        Set<String> after = shown(of(again));
        if (before.equals(after)) {
            return List.of();
        }
        return List.of(new Reproduction.Cause(
                "data", "the run logged dataset versions " + before + " but the re-run logged " + after));
    }

    private static Set<String> shown(List<Logged> logged) {
        Set<String> out = new TreeSet<>();
        logged.forEach(l -> out.add(l.shown()));
        return out;
    }

    private static DatasetVersion resolve(DatasetVersions datasets, RecordedRun run, Logged logged) {
        try {
            return datasets.resolve(logged.ref());
        } catch (CairnException e) {
            throw new CairnException(
                    ErrorCode.RESOURCE_DOES_NOT_EXIST,
                    "dataset version " + logged.shown() + " that run " + run.id()
                            + " logged as input no longer exists: " + e.getMessage(),
                    e);
        }
    }
}
