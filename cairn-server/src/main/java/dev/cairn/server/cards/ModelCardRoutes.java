package dev.cairn.server.cards;

import dev.cairn.cards.CardFormat;
import dev.cairn.cards.ModelCard;
import dev.cairn.cards.ModelCards;
import dev.cairn.server.ApiRoutes;
import dev.cairn.server.Services;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;

/**
 * {@code GET /api/v1/model-cards/{name}/{version}?format=markdown|html}: the model card of a
 * registered version, rendered from recorded facts (Markdown by default). An unknown model or version
 * is a 404 and a bad format a 400, both as JSON errors. HTML is served with a Content-Security-Policy
 * that lets nothing load, so a card stays inert whatever its recorded strings hold.
 */
public final class ModelCardRoutes implements ApiRoutes {
    private final ModelCards cards;

    public ModelCardRoutes(Services services) {
        this.cards = ModelCards.over(
                services.database(),
                services.artifacts(),
                () -> services.deployments().list(),
                services.monitors());
    }

    @Override
    public void register(RoutesConfig routes) {
        routes.get("/api/v1/model-cards/{name}/{version}", this::card);
    }

    private void card(Context ctx) {
        String format = ctx.queryParam("format");
        CardFormat chosen = format == null ? CardFormat.MARKDOWN : CardFormat.parse(format);
        ModelCard card = cards.card(ctx.pathParam("name"), ctx.pathParam("version"));
        if (chosen == CardFormat.HTML) {
            ctx.header("Content-Security-Policy", CardFormat.HTML_CONTENT_SECURITY_POLICY);
        }
        ctx.header("X-Content-Type-Options", "nosniff");
        ctx.contentType(chosen.mediaType()).result(chosen.render(card));
    }
}
