package dev.cairn.deployments;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import dev.cairn.core.CairnException;
import dev.cairn.store.Database;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.mapper.RowMapper;

/** Deployments and their append-only history in SQL (tables of migration V6_1). */
final class DeploymentStore {
    private static final ObjectMapper JSON = new ObjectMapper()
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
    private static final String COLUMNS = "name, spec, status, created_at, created_by, updated_at, updated_by";

    private final Database database;
    private final RowMapper<Deployment> row = (rs, ctx) -> new Deployment(
            rs.getString("name"),
            routing(rs.getString("spec")),
            DeploymentStatus.valueOf(rs.getString("status")),
            Instant.ofEpochMilli(rs.getLong("created_at")),
            rs.getString("created_by"),
            Instant.ofEpochMilli(rs.getLong("updated_at")),
            rs.getString("updated_by"));
    private final RowMapper<DeploymentEvent> event = (rs, ctx) -> new DeploymentEvent(
            rs.getLong("id"),
            rs.getString("deployment"),
            DeploymentAction.valueOf(rs.getString("action")),
            rs.getString("actor"),
            Instant.ofEpochMilli(rs.getLong("at")),
            rs.getString("reason"),
            routing(rs.getString("spec")));

    DeploymentStore(Database database) {
        this.database = database;
    }

    /** Stores a new deployment and its CREATE event; an existing name is RESOURCE_ALREADY_EXISTS. */
    Deployment create(String name, Routing routing, String actor, Instant at) {
        String spec = json(routing);
        database.write(h -> {
            boolean exists = h.createQuery("SELECT COUNT(*) FROM deployments WHERE name = ?")
                            .bind(0, name)
                            .mapTo(Integer.class)
                            .one()
                    > 0;
            if (exists) {
                throw CairnException.alreadyExists("deployment '" + name + "' already exists");
            }
            h.createUpdate("INSERT INTO deployments (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?)")
                    .bind(0, name)
                    .bind(1, spec)
                    .bind(2, routing.status().name())
                    .bind(3, at.toEpochMilli())
                    .bind(4, actor)
                    .bind(5, at.toEpochMilli())
                    .bind(6, actor)
                    .execute();
            return appendEvent(h, name, DeploymentAction.CREATE, actor, at, "", spec);
        });
        return new Deployment(name, routing, routing.status(), at, actor, at, actor);
    }

    /** Replaces the routing of {@code current} and appends the event, in one transaction. */
    Deployment update(
            Deployment current,
            Routing routing,
            DeploymentStatus status,
            DeploymentAction action,
            String actor,
            Instant at,
            String reason) {
        String spec = json(routing);
        database.write(h -> {
            h.createUpdate("UPDATE deployments SET spec = ?, status = ?, updated_at = ?, updated_by = ? WHERE name = ?")
                    .bind(0, spec)
                    .bind(1, status.name())
                    .bind(2, at.toEpochMilli())
                    .bind(3, actor)
                    .bind(4, current.name())
                    .execute();
            return appendEvent(h, current.name(), action, actor, at, reason, spec);
        });
        return new Deployment(current.name(), routing, status, current.createdAt(), current.createdBy(), at, actor);
    }

    Optional<Deployment> find(String name) {
        return database.jdbi().withHandle(h -> h.createQuery("SELECT " + COLUMNS + " FROM deployments WHERE name = ?")
                .bind(0, name)
                .map(row)
                .findOne());
    }

    List<Deployment> list() {
        return database.jdbi().withHandle(h -> h.createQuery("SELECT " + COLUMNS + " FROM deployments ORDER BY name")
                .map(row)
                .list());
    }

    /** Every change of {@code name}, oldest first. */
    List<DeploymentEvent> history(String name) {
        return database.jdbi().withHandle(h -> h.createQuery("SELECT id, deployment, action, actor, at, reason, spec"
                        + " FROM deployment_history WHERE deployment = ? ORDER BY id")
                .bind(0, name)
                .map(event)
                .list());
    }

    private static int appendEvent(
            org.jdbi.v3.core.Handle h,
            String name,
            DeploymentAction action,
            String actor,
            Instant at,
            String reason,
            String spec) {
        return h.createUpdate("INSERT INTO deployment_history (deployment, action, actor, at, reason, spec)"
                        + " VALUES (?, ?, ?, ?, ?, ?)")
                .bind(0, name)
                .bind(1, action.name())
                .bind(2, actor)
                .bind(3, at.toEpochMilli())
                .bind(4, reason)
                .bind(5, spec)
                .execute();
    }

    static String json(Routing routing) {
        try {
            return JSON.writeValueAsString(routing);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a routing always serializes", e);
        }
    }

    static Routing routing(String json) {
        try {
            return JSON.readValue(json, Routing.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored deployment routing is not readable: " + json, e);
        }
    }
}
