package dev.cairn.server.inference;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import dev.cairn.core.CairnException;
import dev.cairn.core.ErrorCode;
import dev.cairn.deployments.DeploymentRouter;
import dev.cairn.models.Signature;
import dev.cairn.models.Tensor;
import dev.cairn.server.AccessLog;
import dev.cairn.server.ApiRoutes;
import dev.cairn.server.LimitedInputStream;
import dev.cairn.serving.InferenceEngine;
import dev.cairn.serving.InferenceRequest;
import dev.cairn.serving.InferenceResponse;
import dev.cairn.serving.ModelInfo;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The model server's HTTP face over an {@link InferenceEngine}: Open Inference Protocol v2 REST
 * ({@code /v2/...}, errors as {@code {"error": ...}}) and MLflow's scoring protocol ({@code
 * /invocations}, {@code /ping}, {@code /version}, errors as {@code {"error_code", "message"}}).
 * An overloaded model answers 503 with {@code Retry-After}.
 */
public final class InferenceRoutes implements ApiRoutes {
    private static final Logger LOG = LoggerFactory.getLogger(InferenceRoutes.class);
    private static final String JSON = "application/json";
    static final String RETRY_AFTER_SECONDS = "1";

    /** The header whose value pins a request to one version of a deployment (same key, same version). */
    public static final String ROUTING_KEY_HEADER = "X-Cairn-Routing-Key";

    private final InferenceEngine engine;
    private final DeploymentRouter router;
    private final long maxBodyBytes;
    private final OipCodec oip;
    private final MlflowScoring mlflow;
    private final String version;

    public InferenceRoutes(InferenceEngine engine, JsonFactory json, long maxBodyBytes) {
        this(engine, new DeploymentRouter(engine, 1), json, maxBodyBytes);
    }

    /** Also serves deployments: a model name that is a deployment's is routed by {@code router}. */
    public InferenceRoutes(InferenceEngine engine, DeploymentRouter router, JsonFactory json, long maxBodyBytes) {
        this.engine = engine;
        this.router = router;
        this.maxBodyBytes = maxBodyBytes;
        this.oip = new OipCodec(json);
        this.mlflow = new MlflowScoring(json);
        String implementation = InferenceRoutes.class.getPackage().getImplementationVersion();
        this.version = implementation == null ? "0.1.0-SNAPSHOT" : implementation;
    }

    @Override
    public void register(RoutesConfig routes) {
        routes.get("/v2/health/live", ctx -> oipCall(ctx, () -> oip.object("live", "true")));
        routes.get("/v2/health/ready", ctx -> oipCall(ctx, () -> oip.object("ready", "true")));
        routes.get("/v2", ctx -> oipCall(ctx, () -> oip.object("name", "cairn", "version", version)));
        routes.get("/v2/models/{model}", ctx -> oipCall(ctx, () -> metadata(ctx.pathParam("model"), "")));
        routes.get(
                "/v2/models/{model}/versions/{version}",
                ctx -> oipCall(ctx, () -> metadata(ctx.pathParam("model"), ctx.pathParam("version"))));
        routes.get("/v2/models/{model}/ready", ctx -> oipCall(ctx, () -> ready(ctx.pathParam("model"), "")));
        routes.get(
                "/v2/models/{model}/versions/{version}/ready",
                ctx -> oipCall(ctx, () -> ready(ctx.pathParam("model"), ctx.pathParam("version"))));
        routes.post("/v2/models/{model}/infer", ctx -> reply(ctx, infer(ctx, ctx.pathParam("model"), "")));
        routes.post(
                "/v2/models/{model}/versions/{version}/infer",
                ctx -> reply(ctx, infer(ctx, ctx.pathParam("model"), ctx.pathParam("version"))));
        routes.post(
                "/invocations",
                ctx -> reply(
                        ctx,
                        invocations(
                                ctx.contentType(),
                                ctx.queryParam("model"),
                                ctx.queryParam("version"),
                                ctx.header(ROUTING_KEY_HEADER),
                                ctx.contentLength(),
                                ctx.bodyInputStream())));
        routes.get("/ping", ctx -> ctx.contentType("application/json").result("\n"));
        routes.get("/version", ctx -> ctx.contentType("text/plain").result(version));
    }

    private byte[] metadata(String model, String version) throws IOException {
        ModelInfo info = found(model, version);
        List<String> versions = version.isEmpty()
                ? engine.versions(model).stream().map(ModelInfo::version).toList()
                : List.of(info.version());
        return oip.metadata(info, versions);
    }

    private byte[] ready(String model, String version) throws IOException {
        ModelInfo info = found(model, version);
        return oip.object("name", info.name(), "version", info.version(), "ready", "true");
    }

    private ModelInfo found(String model, String version) {
        return engine.model(model, version)
                .orElseThrow(() -> CairnException.notFound(
                        version.isEmpty()
                                ? "model '" + model + "' is not served"
                                : "model '" + model + "' has no version '" + version + "'"));
    }

    /**
     * A Jetty handler that answers the inference endpoints before Javalin's router, with the same
     * answers as the routes above, and hands every other request to the handler it wraps.
     */
    public InferenceHandler handler(AccessLog accessLog) {
        return new InferenceHandler(this, accessLog);
    }

    private Reply infer(Context ctx, String model, String version) {
        return infer(
                model,
                version,
                ctx.header(ROUTING_KEY_HEADER),
                ctx.contentLength(),
                ctx::bodyInputStream,
                () -> ctx.method() + " " + ctx.path());
    }

    /** {@code POST /v2/models/MODEL[/versions/VERSION]/infer}: the OIP answer, or {@code {"error": ...}}. */
    Reply infer(
            String model,
            String version,
            String routingKey,
            long declaredLength,
            Supplier<InputStream> rawBody,
            Supplier<String> where) {
        return oip(where, () -> {
            found(model, version);
            InferenceRequest request;
            try (InputStream body = body(declaredLength, rawBody.get())) {
                request = oip.request(body, model, version);
            }
            InferenceResponse response = version.isEmpty() && router.serves(model)
                    ? router.infer(request, routingKey == null ? "" : routingKey)
                    : engine.infer(request);
            return oip.response(response);
        });
    }

    /**
     * {@code POST /invocations}: MLflow's scoring answer, or {@code {"error_code", "message"}}.
     * {@code model} and {@code version} are the query parameters, null when absent.
     */
    Reply invocations(
            String contentType,
            String model,
            String version,
            String routingKey,
            long declaredLength,
            InputStream rawBody) {
        try {
            ModelInfo info = scoringModel(model, version);
            Signature signature = info.signature();
            String type = contentType == null ? JSON : contentType.toLowerCase(Locale.ROOT);
            List<Tensor> inputs;
            try (InputStream body = body(declaredLength, rawBody)) {
                if (type.startsWith("text/csv")) {
                    inputs = mlflow.csv(body, signature);
                } else if (type.startsWith(JSON)) {
                    inputs = mlflow.json(body, signature);
                } else {
                    return new Reply(
                            415,
                            error(
                                    ErrorCode.BAD_REQUEST,
                                    "content type '" + type + "' is not supported; use application/json or text/csv"));
                }
            }
            var request = new InferenceRequest("", info.name(), info.version(), inputs, List.of());
            InferenceResponse response = version == null && router.serves(info.name())
                    ? router.infer(request.withVersion(""), routingKey == null ? "" : routingKey)
                    : engine.infer(request);
            return new Reply(200, mlflow.predictions(response.outputs()));
        } catch (CairnException e) {
            return failed(e, () -> "POST /invocations", error(e.code(), e.getMessage()));
        } catch (JsonProcessingException e) {
            return new Reply(400, error(ErrorCode.MALFORMED_REQUEST, malformed(e)));
        } catch (IOException | RuntimeException e) {
            LOG.error("POST /invocations failed", e);
            return new Reply(500, error(ErrorCode.INTERNAL_ERROR, "internal error: " + e));
        }
    }

    /** The model {@code /invocations} scores: named by {@code ?model=} (and {@code &version=}), or the only one served. */
    private ModelInfo scoringModel(String model, String versionParam) {
        String version = versionParam == null ? "" : versionParam;
        if (model != null) {
            return found(model, version);
        }
        List<String> names = List.copyOf(engine.modelNames());
        if (names.size() == 1) {
            return found(names.get(0), version);
        }
        names = names.stream().sorted().toList();
        throw CairnException.invalid(
                names.isEmpty()
                        ? "no model is served"
                        : "several models are served " + names + "; name one with ?model=");
    }

    long maxBodyBytes() {
        return maxBodyBytes;
    }

    /** The request body, refused with 413 beyond the size limit whether or not a length was declared. */
    private InputStream body(long declared, InputStream raw) {
        if (declared > maxBodyBytes) {
            throw tooLarge(declared);
        }
        return new LimitedInputStream(raw, maxBodyBytes, () -> tooLarge(-1));
    }

    private CairnException tooLarge(long declared) {
        return new CairnException(
                ErrorCode.REQUEST_ENTITY_TOO_LARGE,
                "the request body " + (declared >= 0 ? "of " + declared + " bytes " : "") + "exceeds the limit of "
                        + maxBodyBytes + " bytes");
    }

    /** An OIP handler body through Javalin: answers its JSON, or {@code {"error": ...}} with the status of the failure. */
    private void oipCall(Context ctx, OipHandler handler) {
        reply(ctx, oip(() -> ctx.method() + " " + ctx.path(), handler));
    }

    private static void reply(Context ctx, Reply reply) {
        ctx.status(reply.status()).contentType(JSON);
        if (reply.retryAfter()) {
            ctx.header("Retry-After", RETRY_AFTER_SECONDS);
        }
        ctx.result(reply.body());
    }

    /** Runs an OIP handler body: its JSON, or {@code {"error": ...}} with the status of the failure. */
    private Reply oip(Supplier<String> where, OipHandler handler) {
        try {
            return new Reply(200, handler.handle());
        } catch (CairnException e) {
            return failed(e, where, oipError(e.getMessage()));
        } catch (JsonProcessingException e) {
            return new Reply(400, oipError(malformed(e)));
        } catch (IOException | RuntimeException e) {
            LOG.error("{} failed", where.get(), e);
            return new Reply(500, oipError("internal error: " + e));
        }
    }

    private static Reply failed(CairnException e, Supplier<String> where, byte[] body) {
        ErrorCode code = e.code();
        // An overloaded model is an answer, not a fault: a stack trace per refused request would
        // add to the overload.
        if (code.httpStatus() >= 500 && code != ErrorCode.TEMPORARILY_UNAVAILABLE) {
            LOG.error("{} failed: {}", where.get(), e.getMessage(), e);
        }
        return new Reply(code.httpStatus(), body, code == ErrorCode.TEMPORARILY_UNAVAILABLE);
    }

    private static String malformed(JsonProcessingException e) {
        return "malformed JSON: " + e.getOriginalMessage() + " at line "
                + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
    }

    private byte[] oipError(String message) {
        try {
            return oip.object("error", message);
        } catch (IOException e) {
            throw new IllegalStateException("writing to memory cannot fail", e);
        }
    }

    private byte[] error(ErrorCode code, String message) {
        try {
            return oip.object("error_code", code.name(), "message", message);
        } catch (IOException e) {
            throw new IllegalStateException("writing to memory cannot fail", e);
        }
    }

    /** An answer of the inference endpoints: always JSON; {@code retryAfter} asks the client to come back. */
    record Reply(int status, byte[] body, boolean retryAfter) {
        Reply(int status, byte[] body) {
            this(status, body, false);
        }
    }

    /** A handler that produces a JSON body. */
    @FunctionalInterface
    private interface OipHandler {
        byte[] handle() throws IOException;
    }
}
