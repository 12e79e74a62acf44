package dev.cairn.pipelines;

import dev.cairn.core.CairnException;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Substitution of {@code ${params.x}}, {@code ${inputs.x}} and {@code ${outputs.x}} in step texts.
 * Other {@code ${...}} forms are left alone so that shell variables keep working.
 */
public final class Templates {
    private static final Pattern REFERENCE = Pattern.compile("\\$\\{(params|inputs|outputs)\\.([A-Za-z0-9_-]+)}");

    private Templates() {}

    /** The names referenced in {@code text} under {@code scope} ({@code params}, {@code inputs} or {@code outputs}). */
    public static Set<String> references(String text, String scope) {
        Set<String> names = new LinkedHashSet<>();
        Matcher m = REFERENCE.matcher(text);
        while (m.find()) {
            if (m.group(1).equals(scope)) {
                names.add(m.group(2));
            }
        }
        return names;
    }

    /** Replaces every reference with its value from {@code scopes} (scope name to values by name). */
    public static String substitute(String text, Map<String, Map<String, String>> scopes) {
        Matcher m = REFERENCE.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String value = scopes.getOrDefault(m.group(1), Map.of()).get(m.group(2));
            if (value == null) {
                throw CairnException.invalid("unknown reference '" + m.group() + "' in '" + text + "'");
            }
            m.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        m.appendTail(out);
        return out.toString();
    }
}
