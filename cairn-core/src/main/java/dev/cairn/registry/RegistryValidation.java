package dev.cairn.registry;

import dev.cairn.core.CairnException;
import dev.cairn.tracking.Tag;
import dev.cairn.tracking.TrackingStore;
import java.util.regex.Pattern;

/** MLflow's model-registry input rules: names, versions, aliases, tag keys and values. */
final class RegistryValidation {
    static final int MAX_NAME_LENGTH = 256;
    static final int MAX_TAG_VALUE_LENGTH = 5000;
    static final int MAX_ALIAS_LENGTH = 255;
    static final int MAX_DESCRIPTION_LENGTH = 65_535;
    static final int MAX_SOURCE_LENGTH = 4096;

    private static final Pattern ALIAS = Pattern.compile("^[\\w\\-]*$");
    private static final Pattern VERSION_ALIAS = Pattern.compile("^[vV]\\d+$");
    private static final Pattern VERSION = Pattern.compile("^\\d{1,9}$");

    private RegistryValidation() {}

    static String name(String name) {
        CairnException.requireArgument(
                name != null && !name.isBlank(), "Registered model name cannot be empty. Got '" + name + "'");
        CairnException.requireArgument(
                name.length() <= MAX_NAME_LENGTH,
                "Registered model name is longer than " + MAX_NAME_LENGTH + " characters");
        // models:/<name>/<version> URIs and lineage nodes must parse back to the same name.
        CairnException.requireArgument(
                name.indexOf('/') < 0 && name.indexOf('@') < 0 && name.indexOf(':') < 0,
                "Invalid registered model name '" + name + "': it must not contain '/', '@' or ':'");
        return name;
    }

    static int version(String version) {
        CairnException.requireArgument(
                version != null && VERSION.matcher(version.strip()).matches(),
                "Parameter 'version' must be an integer, got '" + version + "'.");
        return Integer.parseInt(version.strip());
    }

    static String alias(String alias) {
        CairnException.requireArgument(
                alias != null && !alias.isEmpty(), "Registered model alias name cannot be empty.");
        CairnException.requireArgument(
                ALIAS.matcher(alias).matches() && alias.length() <= MAX_ALIAS_LENGTH,
                "Invalid alias name: '" + alias + "'. Alias names may only contain alphanumerics, underscores (_)"
                        + " and dashes (-), and be at most " + MAX_ALIAS_LENGTH + " characters long.");
        CairnException.requireArgument(
                !alias.equalsIgnoreCase("latest"), "'latest' alias name (case insensitive) is reserved.");
        CairnException.requireArgument(
                !VERSION_ALIAS.matcher(alias).matches(),
                "Version alias name '" + alias + "' is reserved: an alias cannot have the form v<number>.");
        return alias;
    }

    static Tag tag(Tag tag) {
        CairnException.requireArgument(tag != null, "Tag must be given");
        key(tag.key());
        CairnException.requireArgument(tag.value() != null, "Tag value for key '" + tag.key() + "' is missing");
        length("Tag value", MAX_TAG_VALUE_LENGTH, tag.value());
        return tag;
    }

    static String key(String key) {
        CairnException.requireArgument(
                key != null && !key.isEmpty(), "Tag name cannot be None. A key name must be provided.");
        length("Tag key", TrackingStore.MAX_ENTITY_KEY_LENGTH, key);
        return key;
    }

    static String description(String description) {
        length("Description", MAX_DESCRIPTION_LENGTH, description);
        return description;
    }

    static void length(String what, int limit, String value) {
        if (value.length() > limit) {
            throw CairnException.invalid(what + " '" + value.substring(0, Math.min(250, value.length()))
                    + "' had length " + value.length() + ", which exceeded length limit of " + limit);
        }
    }
}
