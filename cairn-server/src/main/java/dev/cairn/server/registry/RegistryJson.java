package dev.cairn.server.registry;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cairn.core.Page;
import dev.cairn.registry.ModelAlias;
import dev.cairn.registry.ModelVersion;
import dev.cairn.registry.RegisteredModel;
import dev.cairn.tracking.Tag;
import java.util.List;

/**
 * Writes registry entities in the JSON shape of MLflow's {@code model_registry.proto}: proto field
 * names, versions as strings, int64 as numbers, empty optional fields and lists omitted.
 */
final class RegistryJson {
    private final ObjectMapper json;

    RegistryJson(ObjectMapper json) {
        this.json = json;
    }

    ObjectNode empty() {
        return json.createObjectNode();
    }

    ObjectNode model(RegisteredModel m) {
        ObjectNode node = json.createObjectNode();
        node.put("name", m.name());
        node.put("creation_timestamp", m.creationTimestamp());
        node.put("last_updated_timestamp", m.lastUpdatedTimestamp());
        optional(node, "description", m.description());
        if (!m.latestVersions().isEmpty()) {
            ArrayNode latest = node.putArray("latest_versions");
            m.latestVersions().forEach(v -> latest.add(version(v)));
        }
        tags(node, m.tags());
        if (!m.aliases().isEmpty()) {
            ArrayNode aliases = node.putArray("aliases");
            for (ModelAlias a : m.aliases()) {
                aliases.addObject().put("alias", a.alias()).put("version", Integer.toString(a.version()));
            }
        }
        return node;
    }

    ObjectNode version(ModelVersion v) {
        ObjectNode node = json.createObjectNode();
        node.put("name", v.name());
        node.put("version", Integer.toString(v.version()));
        node.put("creation_timestamp", v.creationTimestamp());
        node.put("last_updated_timestamp", v.lastUpdatedTimestamp());
        optional(node, "user_id", v.userId());
        node.put("current_stage", v.currentStage().wireName());
        optional(node, "description", v.description());
        node.put("source", v.source());
        optional(node, "run_id", v.runId());
        node.put("status", v.status());
        tags(node, v.tags());
        optional(node, "run_link", v.runLink());
        if (!v.aliases().isEmpty()) {
            ArrayNode aliases = node.putArray("aliases");
            v.aliases().forEach(aliases::add);
        }
        return node;
    }

    /** {@code {"registered_model": {...}}} */
    ObjectNode wrapModel(RegisteredModel m) {
        ObjectNode node = json.createObjectNode();
        node.set("registered_model", model(m));
        return node;
    }

    /** {@code {"model_version": {...}}} */
    ObjectNode wrapVersion(ModelVersion v) {
        ObjectNode node = json.createObjectNode();
        node.set("model_version", version(v));
        return node;
    }

    ObjectNode modelPage(Page<RegisteredModel> page) {
        ObjectNode node = json.createObjectNode();
        ArrayNode items = node.putArray("registered_models");
        page.items().forEach(m -> items.add(model(m)));
        page.nextPageToken().ifPresent(token -> node.put("next_page_token", token));
        return node;
    }

    ObjectNode versionPage(Page<ModelVersion> page) {
        ObjectNode node = versions(page.items());
        page.nextPageToken().ifPresent(token -> node.put("next_page_token", token));
        return node;
    }

    /** {@code {"model_versions": [...]}} */
    ObjectNode versions(List<ModelVersion> versions) {
        ObjectNode node = json.createObjectNode();
        ArrayNode items = node.putArray("model_versions");
        versions.forEach(v -> items.add(version(v)));
        return node;
    }

    private static void tags(ObjectNode node, List<Tag> tags) {
        if (!tags.isEmpty()) {
            ArrayNode array = node.putArray("tags");
            tags.forEach(t -> array.addObject().put("key", t.key()).put("value", t.value()));
        }
    }

    private static void optional(ObjectNode node, String field, String value) {
        if (!value.isEmpty()) {
            node.put(field, value);
        }
    }
}
