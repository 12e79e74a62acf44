package dev.cairn.pipelines;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A reference to an upstream step's output, written {@code steps.<step>.outputs.<output>} in a spec. */
public record OutputRef(String step, String output) {
    private static final Pattern FORM = Pattern.compile("steps\\.([A-Za-z0-9_-]+)\\.outputs\\.([A-Za-z0-9_-]+)");

    /** The reference an input string denotes, or empty when the input is not an upstream output. */
    public static Optional<OutputRef> parse(String input) {
        Matcher m = FORM.matcher(input.trim());
        return m.matches() ? Optional.of(new OutputRef(m.group(1), m.group(2))) : Optional.empty();
    }

    @Override
    public String toString() {
        return "steps." + step + ".outputs." + output;
    }
}
