package dev.cairn.demo;

import com.fasterxml.jackson.databind.JsonNode;

/** A JSON call to the server's REST API; an error answer is thrown as the CairnException it names. */
@FunctionalInterface
public interface Rest {
    /** One call; {@code body} may be null for none. */
    JsonNode call(String method, String path, JsonNode body);
}
