package dev.cairn.pipelines.execution;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;

/**
 * The step cache key: the SHA-256 of a canonical JSON (keys sorted at every level) of five
 * components: the step definition, the code version, the parameter values it reads, the content
 * hashes of its inputs, and the environment fingerprint.
 */
final class CacheKeys {
    static final String DEFINITION = "definition";
    static final String CODE = "code";
    static final String PARAMS = "params";
    static final String INPUTS = "inputs";
    static final String ENVIRONMENT = "environment";

    private static final ObjectMapper CANONICAL =
            new ObjectMapper().configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);

    private CacheKeys() {}

    /** A computed key with the canonical JSON it was computed from. */
    record Key(String key, String componentsJson) {}

    static Key compute(
            Map<String, Object> definition,
            Map<String, Object> code,
            Map<String, Object> params,
            Map<String, String> inputs,
            Map<String, Object> environment) {
        Map<String, Object> components = new LinkedHashMap<>();
        components.put(DEFINITION, definition);
        components.put(CODE, code);
        components.put(PARAMS, params);
        components.put(INPUTS, inputs);
        components.put(ENVIRONMENT, environment);
        String json = canonicalJson(components);
        return new Key(ContentHashes.sha256(json), json);
    }

    static String canonicalJson(Object value) {
        try {
            return CANONICAL.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Says, in words, which components differ between two recorded key component sets. */
    static List<String> differences(String previousJson, String currentJson) {
        Map<String, Object> previous = parse(previousJson);
        Map<String, Object> current = parse(currentJson);
        List<String> reasons = new ArrayList<>();
        compareMaps("param", previous.get(PARAMS), current.get(PARAMS), reasons, true);
        compareMaps("input", previous.get(INPUTS), current.get(INPUTS), reasons, false);
        compareMaps("step definition:", previous.get(DEFINITION), current.get(DEFINITION), reasons, false);
        compareMaps("code version:", previous.get(CODE), current.get(CODE), reasons, false);
        compareMaps("environment:", previous.get(ENVIRONMENT), current.get(ENVIRONMENT), reasons, false);
        return reasons;
    }

    private static void compareMaps(String what, Object before, Object after, List<String> reasons, boolean values) {
        Map<?, ?> a = before instanceof Map<?, ?> m ? m : Map.of();
        Map<?, ?> b = after instanceof Map<?, ?> m ? m : Map.of();
        TreeSet<String> keys = new TreeSet<>();
        a.keySet().forEach(k -> keys.add(String.valueOf(k)));
        b.keySet().forEach(k -> keys.add(String.valueOf(k)));
        for (String key : keys) {
            Object x = a.get(key);
            Object y = b.get(key);
            if (Objects.equals(x, y)) {
                continue;
            }
            String subject = what.endsWith(":") ? what + " " + key : what + " '" + key + "'";
            if (x == null) {
                reasons.add(subject + " added");
            } else if (y == null) {
                reasons.add(subject + " removed");
            } else if (values) {
                reasons.add(subject + " changed: " + x + " -> " + y);
            } else {
                reasons.add(subject + (what.equals("input") ? " content changed" : " changed"));
            }
        }
    }

    private static Map<String, Object> parse(String json) {
        try {
            return CANONICAL.readValue(json, new TypeReference<Map<String, Object>>() {});
        } catch (JsonProcessingException e) {
            return Map.of();
        }
    }
}
