package dev.cairn.server.artifacts;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import dev.cairn.artifacts.ArtifactFile;
import dev.cairn.artifacts.ArtifactPath;
import dev.cairn.artifacts.ArtifactRepository;
import dev.cairn.artifacts.FileInfo;
import dev.cairn.core.CairnException;
import dev.cairn.core.ErrorCode;
import dev.cairn.core.Page;
import dev.cairn.server.ApiRoutes;
import dev.cairn.server.JsonRequests;
import dev.cairn.server.LimitedInputStream;
import dev.cairn.server.MlflowRoutes;
import dev.cairn.server.Services;
import dev.cairn.tracking.TrackingStore;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Optional;

/**
 * MLflow's artifact endpoints as the Python client and the UI call them: the artifact proxy
 * ({@code PUT/GET/DELETE /api/2.0/mlflow-artifacts/artifacts/<path>}, listing with {@code ?path=}),
 * {@code /api/2.0/mlflow/artifacts/list} and {@code /get-artifact}. Every client-supplied path goes
 * through {@link ArtifactPath} and is confined to a run's server-generated root.
 */
public final class ArtifactRoutes implements ApiRoutes {
    static final String PROXY = "mlflow-artifacts/artifacts";

    private final ArtifactRepository artifacts;
    private final TrackingStore tracking;
    private final JsonRequests requests;
    private final JsonFactory json;
    private final long maxUploadBytes;

    public ArtifactRoutes(Services services) {
        this.artifacts = services.artifacts();
        this.tracking = services.tracking();
        this.requests = services.requests();
        this.json = services.json().getFactory();
        this.maxUploadBytes = services.config().maxUploadBytes();
    }

    @Override
    public void register(RoutesConfig routes) {
        MlflowRoutes.add(routes, HandlerType.PUT, PROXY + "/<path>", this::upload);
        MlflowRoutes.add(routes, HandlerType.GET, PROXY + "/<path>", this::download);
        MlflowRoutes.add(routes, HandlerType.DELETE, PROXY + "/<path>", this::delete);
        MlflowRoutes.add(routes, HandlerType.GET, PROXY, this::listProxy);
        MlflowRoutes.read(routes, "mlflow/artifacts/list", this::listRun);
        routes.get("/get-artifact", this::getArtifact);
    }

    private void upload(Context ctx) throws IOException {
        RunArtifactLocation location =
                RunArtifactLocation.resolve(tracking, proxyPath(ctx)).requireWritable();
        CairnException.requireArgument(
                !location.relative().isRoot(), "Invalid artifact path: an upload needs a file name");
        long declared = ctx.req().getContentLengthLong();
        if (declared > maxUploadBytes) {
            throw tooLarge();
        }
        try (InputStream body = new LimitedInputStream(ctx.req().getInputStream(), maxUploadBytes, this::tooLarge)) {
            artifacts.put(location.root(), location.relative(), body);
        }
        ctx.contentType("application/json").result("{}");
    }

    private void download(Context ctx) throws IOException {
        RunArtifactLocation location = RunArtifactLocation.resolve(tracking, proxyPath(ctx));
        send(ctx, location);
    }

    private void delete(Context ctx) {
        RunArtifactLocation location = RunArtifactLocation.resolve(tracking, proxyPath(ctx));
        artifacts.delete(location.root(), location.relative());
        ctx.contentType("application/json").result("{}");
    }

    /** {@code GET mlflow-artifacts/artifacts?path=<dir>}: the direct children, by base name. */
    private void listProxy(Context ctx) throws IOException {
        String path = JsonRequests.required(ctx.queryParam("path"), "path");
        RunArtifactLocation location = RunArtifactLocation.resolve(tracking, ArtifactPath.of(path));
        List<FileInfo> files = artifacts.list(location.root(), location.relative());
        try (JsonGenerator out = generator(ctx)) {
            out.writeStartObject();
            writeFiles(out, files, true);
            out.writeEndObject();
        }
    }

    /** {@code mlflow/artifacts/list}: children of {@code path} in the run's tree, paths relative to the run root. */
    private void listRun(Context ctx) throws IOException {
        ListArtifacts request = requests.read(ctx, ListArtifacts.class);
        String runId =
                JsonRequests.required(Optional.ofNullable(request.runId()).orElse(request.runUuid()), "run_id");
        ArtifactPath dir = request.path() == null ? ArtifactPath.ROOT : ArtifactPath.of(request.path());
        RunArtifactLocation location = RunArtifactLocation.ofRun(tracking, runId, dir);
        Page<FileInfo> page = artifacts.list(
                location.root(),
                dir,
                ArtifactRepository.MAX_PAGE,
                Optional.ofNullable(request.pageToken()).filter(t -> !t.isEmpty()));
        try (JsonGenerator out = generator(ctx)) {
            out.writeStartObject();
            out.writeStringField("root_uri", location.run().artifactUri());
            writeFiles(out, page.items(), false);
            if (page.nextPageToken().isPresent()) {
                out.writeStringField("next_page_token", page.nextPageToken().get());
            }
            out.writeEndObject();
        }
    }

    /** {@code GET /get-artifact?path=&run_uuid=}: the UI's download of one file of a run. */
    private void getArtifact(Context ctx) throws IOException {
        String runId = JsonRequests.required(
                Optional.ofNullable(ctx.queryParam("run_id")).orElse(ctx.queryParam("run_uuid")), "run_uuid");
        ArtifactPath path = ArtifactPath.of(JsonRequests.required(ctx.queryParam("path"), "path"));
        send(ctx, RunArtifactLocation.ofRun(tracking, runId, path));
    }

    private void send(Context ctx, RunArtifactLocation location) throws IOException {
        ArtifactFile file = artifacts
                .file(location.root(), location.relative())
                .orElseThrow(() -> CairnException.notFound(
                        "No artifact at path '" + location.relative().value() + "' of run "
                                + location.run().runId()));
        try (InputStream content = artifacts.blobs().open(file.blob().sha256())) {
            String name = location.relative().name();
            ctx.status(200);
            // No charset on binary content: a byte stream has no character encoding.
            ctx.res().setCharacterEncoding(null);
            ctx.res().setContentType(ContentTypes.of(name));
            ctx.header("Content-Disposition", Downloads.attachment(name));
            ctx.header("X-Content-Type-Options", "nosniff");
            ctx.res().setContentLengthLong(file.blob().size());
            Downloads.sendVerified(content, ctx.res().getOutputStream());
        }
    }

    private JsonGenerator generator(Context ctx) throws IOException {
        ctx.contentType("application/json");
        JsonGenerator out = json.createGenerator(ctx.outputStream(), JsonEncoding.UTF8);
        out.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
        return out;
    }

    private static void writeFiles(JsonGenerator out, List<FileInfo> files, boolean baseNames) throws IOException {
        out.writeArrayFieldStart("files");
        for (FileInfo f : files) {
            out.writeStartObject();
            String path = f.path();
            out.writeStringField("path", baseNames ? path.substring(path.lastIndexOf('/') + 1) : path);
            out.writeBooleanField("is_dir", f.isDir());
            if (f.fileSize().isPresent()) {
                out.writeNumberField("file_size", f.fileSize().getAsLong());
            }
            out.writeEndObject();
        }
        out.writeEndArray();
    }

    /** The proxy path as sent on the wire, decoded exactly once by {@link ArtifactPath#fromUrl}. */
    private static ArtifactPath proxyPath(Context ctx) {
        String raw = ctx.req().getRequestURI();
        for (String prefix : MlflowRoutes.PREFIXES) {
            String mount = prefix + PROXY + "/";
            if (raw.startsWith(mount)) {
                return ArtifactPath.fromUrl(raw.substring(mount.length()));
            }
        }
        throw CairnException.invalid("Invalid artifact path in '" + raw + "'");
    }

    private CairnException tooLarge() {
        return new CairnException(
                ErrorCode.REQUEST_ENTITY_TOO_LARGE,
                "Artifact upload exceeds the limit of " + maxUploadBytes + " bytes");
    }

    /** MLflow's {@code ListArtifacts} request. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record ListArtifacts(String runId, String runUuid, String path, String pageToken) {}
}
