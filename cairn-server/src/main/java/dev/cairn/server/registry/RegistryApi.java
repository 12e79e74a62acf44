package dev.cairn.server.registry;

import static dev.cairn.server.JsonRequests.elements;
import static dev.cairn.server.JsonRequests.required;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cairn.registry.NewModelVersion;
import dev.cairn.registry.RegistrySearch;
import dev.cairn.registry.RegistryStore;
import dev.cairn.registry.Stage;
import dev.cairn.server.ApiRoutes;
import dev.cairn.server.JsonRequests;
import dev.cairn.server.MlflowRoutes;
import dev.cairn.server.Services;
import dev.cairn.server.registry.RegistryRequests.AliasRef;
import dev.cairn.server.registry.RegistryRequests.CreateModelVersion;
import dev.cairn.server.registry.RegistryRequests.CreateRegisteredModel;
import dev.cairn.server.registry.RegistryRequests.DeleteModelTag;
import dev.cairn.server.registry.RegistryRequests.DeleteVersionTag;
import dev.cairn.server.registry.RegistryRequests.GetLatestVersions;
import dev.cairn.server.registry.RegistryRequests.KeyValue;
import dev.cairn.server.registry.RegistryRequests.ModelRef;
import dev.cairn.server.registry.RegistryRequests.RenameRegisteredModel;
import dev.cairn.server.registry.RegistryRequests.Search;
import dev.cairn.server.registry.RegistryRequests.SetAlias;
import dev.cairn.server.registry.RegistryRequests.SetModelTag;
import dev.cairn.server.registry.RegistryRequests.SetVersionTag;
import dev.cairn.server.registry.RegistryRequests.TransitionStage;
import dev.cairn.server.registry.RegistryRequests.UpdateModelVersion;
import dev.cairn.server.registry.RegistryRequests.UpdateRegisteredModel;
import dev.cairn.server.registry.RegistryRequests.VersionRef;
import dev.cairn.tracking.Tag;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * MLflow's model-registry REST API ({@code /api/2.0/mlflow/registered-models/...} and
 * {@code model-versions/...}) with the verbs of {@code model_registry.proto}'s http bindings;
 * every read also answers POST with a JSON body.
 */
public final class RegistryApi implements ApiRoutes {
    private static final String MODELS = "mlflow/registered-models/";
    private static final String VERSIONS = "mlflow/model-versions/";

    private final RegistryStore store;
    private final JsonRequests requests;
    private final RegistryJson out;
    private final ObjectMapper json;

    public RegistryApi(Services services) {
        this.store = RegistryStore.on(services.database(), services.tracking());
        this.requests = services.requests();
        this.json = services.json();
        this.out = new RegistryJson(services.json());
    }

    @Override
    public void register(RoutesConfig routes) {
        registerModels(routes);
        registerVersions(routes);
        registerAliases(routes);
    }

    private void registerModels(RoutesConfig routes) {
        add(
                routes,
                HandlerType.POST,
                MODELS + "create",
                CreateRegisteredModel.class,
                q -> out.wrapModel(
                        store.createRegisteredModel(name(q.name()), tags(q.tags()), orEmpty(q.description()))));
        add(
                routes,
                HandlerType.POST,
                MODELS + "rename",
                RenameRegisteredModel.class,
                q -> out.wrapModel(store.renameRegisteredModel(name(q.name()), required(q.newName(), "new_name"))));
        add(
                routes,
                HandlerType.PATCH,
                MODELS + "update",
                UpdateRegisteredModel.class,
                q -> out.wrapModel(store.updateRegisteredModel(name(q.name()), orEmpty(q.description()))));
        add(routes, HandlerType.DELETE, MODELS + "delete", ModelRef.class, q -> {
            store.deleteRegisteredModel(name(q.name()));
            return out.empty();
        });
        read(routes, MODELS + "get", ModelRef.class, q -> out.wrapModel(store.getRegisteredModel(name(q.name()))));
        read(
                routes,
                MODELS + "search",
                Search.class,
                q -> out.modelPage(store.searchRegisteredModels(search(q, RegistrySearch.MODELS_DEFAULT_MAX_RESULTS))));
        read(
                routes,
                MODELS + "get-latest-versions",
                GetLatestVersions.class,
                q -> out.versions(store.getLatestVersions(name(q.name()), stages(q.stages()))));
        add(routes, HandlerType.POST, MODELS + "set-tag", SetModelTag.class, q -> {
            store.setRegisteredModelTag(name(q.name()), new Tag(required(q.key(), "key"), orEmpty(q.value())));
            return out.empty();
        });
        add(routes, HandlerType.DELETE, MODELS + "delete-tag", DeleteModelTag.class, q -> {
            store.deleteRegisteredModelTag(name(q.name()), required(q.key(), "key"));
            return out.empty();
        });
    }

    private void registerVersions(RoutesConfig routes) {
        add(
                routes,
                HandlerType.POST,
                VERSIONS + "create",
                CreateModelVersion.class,
                q -> out.wrapVersion(store.createModelVersion(new NewModelVersion(
                        name(q.name()),
                        required(q.source(), "source"),
                        orEmpty(q.runId()),
                        orEmpty(q.runLink()),
                        orEmpty(q.description()),
                        tags(q.tags())))));
        add(
                routes,
                HandlerType.PATCH,
                VERSIONS + "update",
                UpdateModelVersion.class,
                q -> out.wrapVersion(
                        store.updateModelVersion(name(q.name()), version(q.version()), orEmpty(q.description()))));
        add(routes, HandlerType.DELETE, VERSIONS + "delete", VersionRef.class, q -> {
            store.deleteModelVersion(name(q.name()), version(q.version()));
            return out.empty();
        });
        read(
                routes,
                VERSIONS + "get",
                VersionRef.class,
                q -> out.wrapVersion(store.getModelVersion(name(q.name()), version(q.version()))));
        read(
                routes,
                VERSIONS + "search",
                Search.class,
                q -> out.versionPage(
                        store.searchModelVersions(search(q, RegistrySearch.VERSIONS_DEFAULT_MAX_RESULTS))));
        add(
                routes,
                HandlerType.POST,
                VERSIONS + "transition-stage",
                TransitionStage.class,
                q -> out.wrapVersion(store.transitionModelVersionStage(
                        name(q.name()),
                        version(q.version()),
                        Stage.parse(required(q.stage(), "stage")),
                        Boolean.TRUE.equals(q.archiveExistingVersions()))));
        add(routes, HandlerType.POST, VERSIONS + "set-tag", SetVersionTag.class, q -> {
            store.setModelVersionTag(
                    name(q.name()), version(q.version()), new Tag(required(q.key(), "key"), orEmpty(q.value())));
            return out.empty();
        });
        add(routes, HandlerType.DELETE, VERSIONS + "delete-tag", DeleteVersionTag.class, q -> {
            store.deleteModelVersionTag(name(q.name()), version(q.version()), required(q.key(), "key"));
            return out.empty();
        });
        read(routes, VERSIONS + "get-download-uri", VersionRef.class, q -> {
            ObjectNode node = out.empty();
            node.put("artifact_uri", store.getModelVersionDownloadUri(name(q.name()), version(q.version())));
            return node;
        });
    }

    private void registerAliases(RoutesConfig routes) {
        // One path, three verbs: the proto binds set to POST, delete to DELETE and get to GET.
        add(routes, HandlerType.POST, MODELS + "alias", SetAlias.class, q -> {
            store.setRegisteredModelAlias(name(q.name()), required(q.alias(), "alias"), version(q.version()));
            return out.empty();
        });
        add(routes, HandlerType.DELETE, MODELS + "alias", AliasRef.class, q -> {
            store.deleteRegisteredModelAlias(name(q.name()), required(q.alias(), "alias"));
            return out.empty();
        });
        add(
                routes,
                HandlerType.GET,
                MODELS + "alias",
                AliasRef.class,
                q -> out.wrapVersion(store.getModelVersionByAlias(name(q.name()), required(q.alias(), "alias"))));
    }

    private <Q> void read(RoutesConfig routes, String path, Class<Q> type, Function<Q, ObjectNode> call) {
        add(routes, HandlerType.GET, path, type, call);
        add(routes, HandlerType.POST, path, type, call);
    }

    private <Q> void add(
            RoutesConfig routes, HandlerType method, String path, Class<Q> type, Function<Q, ObjectNode> call) {
        MlflowRoutes.add(routes, method, path, ctx -> respond(ctx, call.apply(decode(ctx, type))));
    }

    /**
     * GET reads the query string; other verbs read the JSON body, except a DELETE or PATCH sent
     * with its fields in the query string and no body, as some clients send DELETE.
     */
    private <Q> Q decode(Context ctx, Class<Q> type) {
        boolean queryOnly = ctx.method() != HandlerType.POST
                && ctx.req().getContentLengthLong() <= 0
                && !ctx.queryParamMap().isEmpty();
        return ctx.method() == HandlerType.GET || queryOnly
                ? requests.query(ctx.queryParamMap(), type)
                : requests.body(ctx, type);
    }

    private void respond(Context ctx, ObjectNode body) throws Exception {
        ctx.contentType("application/json").result(json.writeValueAsBytes(body));
    }

    private static RegistrySearch search(Search q, int defaultMaxResults) {
        return new RegistrySearch(
                orEmpty(q.filter()),
                q.maxResults() == null
                        ? defaultMaxResults
                        : (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, q.maxResults())),
                elements(q.orderBy(), "order_by"),
                Optional.ofNullable(q.pageToken()).filter(t -> !t.isEmpty()));
    }

    private static List<Stage> stages(List<String> stages) {
        return elements(stages, "stages").stream().map(Stage::parse).toList();
    }

    private static List<Tag> tags(List<KeyValue> tags) {
        return elements(tags, "tags").stream()
                .map(t -> new Tag(required(t.key(), "tags.key"), orEmpty(t.value())))
                .toList();
    }

    private static String name(String name) {
        return required(name, "name");
    }

    private static String version(String version) {
        return required(version, "version");
    }

    private static String orEmpty(String value) {
        return value == null ? "" : value;
    }
}
