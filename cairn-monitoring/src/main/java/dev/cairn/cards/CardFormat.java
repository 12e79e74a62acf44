package dev.cairn.cards;

import dev.cairn.core.CairnException;
import java.util.Locale;

/** The formats a model card is rendered in, each with its media type. */
public enum CardFormat {
    MARKDOWN("text/markdown; charset=utf-8"),
    HTML("text/html; charset=utf-8");

    /** The Content-Security-Policy an HTML card is served with: nothing may be loaded, styles are inline. */
    public static final String HTML_CONTENT_SECURITY_POLICY = HtmlWriter.CONTENT_SECURITY_POLICY;

    private final String mediaType;

    CardFormat(String mediaType) {
        this.mediaType = mediaType;
    }

    public String mediaType() {
        return mediaType;
    }

    /** The card as text in this format. */
    public String render(ModelCard card) {
        CardDocument doc = CardLayout.of(card);
        return this == MARKDOWN ? MarkdownWriter.write(doc) : HtmlWriter.write(doc);
    }

    /** Parses {@code markdown} or {@code html} (case-insensitive); fails naming the value otherwise. */
    public static CardFormat parse(String name) {
        String wanted = name.strip().toLowerCase(Locale.ROOT);
        return switch (wanted) {
            case "markdown", "md" -> MARKDOWN;
            case "html" -> HTML;
            default -> throw CairnException.invalid("format must be markdown or html; got '" + name + "'");
        };
    }
}
