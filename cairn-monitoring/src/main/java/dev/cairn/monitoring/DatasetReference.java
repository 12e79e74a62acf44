package dev.cairn.monitoring;

import dev.cairn.core.CairnException;
import dev.cairn.datasets.DatasetRef;
import java.util.Optional;

/**
 * A monitor reference that names a dataset version, {@code cairn-dataset:/NAME/VERSION[/FILE]}: the
 * lineage URI of the version (a number, so the reference never moves), optionally followed by the
 * path of one file inside it.
 */
record DatasetReference(String name, int version, String file) {
    static final String SCHEME = "cairn-dataset:/";

    static boolean names(String reference) {
        return reference.startsWith(SCHEME);
    }

    /** Parses {@code reference}; fails with a message naming it when it is not of the form above. */
    static DatasetReference parse(String reference) {
        String[] parts = reference.substring(SCHEME.length()).split("/", 3);
        CairnException.requireArgument(
                parts.length >= 2 && !parts[0].isBlank(),
                "reference '" + reference
                        + "' must be cairn-dataset:/NAME/VERSION or cairn-dataset:/NAME/VERSION/FILE");
        new DatasetRef(parts[0], parts[1]); // checks the dataset name
        CairnException.requireArgument(
                parts[1].matches("[1-9][0-9]{0,8}"),
                "version of reference '" + reference + "' must be a version number; got '" + parts[1] + "'");
        String file = parts.length == 3 ? parts[2] : "";
        CairnException.requireArgument(
                parts.length < 3 || !file.isBlank(), "file of reference '" + reference + "' must not be empty");
        return new DatasetReference(parts[0], Integer.parseInt(parts[1]), file);
    }

    /** The file named after the version, if any. */
    Optional<String> namedFile() {
        return file.isEmpty() ? Optional.empty() : Optional.of(file);
    }

    /** The reference the dataset versions resolve, {@code NAME:VERSION}. */
    String ref() {
        return name + ":" + version;
    }
}
