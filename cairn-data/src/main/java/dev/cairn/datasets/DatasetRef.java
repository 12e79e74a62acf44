package dev.cairn.datasets;

import dev.cairn.core.CairnException;

/**
 * A reference to a dataset version as users type it: {@code NAME} (latest), {@code NAME:3}
 * (number), {@code NAME:champion} (alias) or {@code NAME:3f2a91c0} (id prefix, at least 6 hex digits).
 */
public record DatasetRef(String name, String selector) {
    static final String NAME_PATTERN = "[A-Za-z0-9][A-Za-z0-9._-]{0,127}";
    static final String ALIAS_PATTERN = "[A-Za-z][A-Za-z0-9_-]{0,63}";
    static final String LATEST = "latest";

    public DatasetRef {
        requireName(name);
        CairnException.requireArgument(!selector.isBlank(), "version of dataset '" + name + "' must not be blank");
    }

    public static DatasetRef parse(String ref) {
        int colon = ref.indexOf(':');
        return colon < 0
                ? new DatasetRef(ref.strip(), LATEST)
                : new DatasetRef(
                        ref.substring(0, colon).strip(),
                        ref.substring(colon + 1).strip());
    }

    static void requireName(String name) {
        CairnException.requireArgument(
                name.matches(NAME_PATTERN),
                "dataset name must be letters, digits, '.', '_' or '-' (at most 128); got '" + name + "'");
    }

    static void requireAlias(String alias) {
        CairnException.requireArgument(
                alias.matches(ALIAS_PATTERN) && !alias.equals(LATEST),
                "alias must start with a letter, use letters, digits, '_' or '-', and not be 'latest'; got '" + alias
                        + "'");
    }

    @Override
    public String toString() {
        return name + ":" + selector;
    }
}
