package dev.cairn.pipelines.execution;

import java.util.Map;
import java.util.TreeMap;

/**
 * How to execute a pipeline.
 *
 * @param params parameter overrides as text, as given with {@code -p key=value}
 * @param force run every step even when the cache has it (results are still cached)
 * @param noCache neither read nor write the step cache
 * @param tags extra tags on the pipeline's tracked run (a trigger records itself here)
 */
public record RunOptions(Map<String, String> params, boolean force, boolean noCache, Map<String, String> tags) {
    public static final RunOptions DEFAULTS = new RunOptions(Map.of(), false, false, Map.of());

    public RunOptions {
        params = Map.copyOf(new TreeMap<>(params));
        tags = Map.copyOf(tags);
    }

    public static RunOptions withParams(Map<String, String> params) {
        return new RunOptions(params, false, false, Map.of());
    }

    public RunOptions force(boolean value) {
        return new RunOptions(params, value, noCache, tags);
    }

    public RunOptions noCache(boolean value) {
        return new RunOptions(params, force, value, tags);
    }

    public RunOptions tags(Map<String, String> value) {
        return new RunOptions(params, force, noCache, value);
    }
}
