package dev.cairn.cards;

import dev.cairn.cards.CardDocument.Block;
import dev.cairn.cards.CardDocument.Fact;
import dev.cairn.cards.CardDocument.Facts;
import dev.cairn.cards.CardDocument.Heading;
import dev.cairn.cards.CardDocument.Note;
import dev.cairn.cards.CardDocument.Paragraph;
import dev.cairn.cards.CardDocument.Section;
import dev.cairn.cards.CardDocument.Table;
import java.util.List;
import java.util.Locale;

/**
 * Writes a card as one self-contained HTML5 page: inline CSS, no script, no external resource (its
 * Content-Security-Policy forbids loading anything). Every recorded string is escaped for text and
 * attribute contexts ({@code & < > " '}).
 */
final class HtmlWriter {
    static final String CONTENT_SECURITY_POLICY = "default-src 'none'; style-src 'unsafe-inline'";

    private static final String STYLE = """
            body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0;background:#f6f7f9;color:#1d2330}
            main{max-width:1100px;margin:0 auto;padding:24px 32px;background:#fff}
            h1{font-size:1.7em;border-bottom:2px solid #2f5d8a;padding-bottom:8px}
            h2{font-size:1.3em;color:#2f5d8a;margin-top:2em;border-bottom:1px solid #d8dde6}
            h3{font-size:1.05em;margin-top:1.4em}
            dl{display:grid;grid-template-columns:max-content auto;gap:4px 16px}
            dt{font-weight:600}dd{margin:0;overflow-wrap:anywhere}
            .table{overflow-x:auto}
            table{border-collapse:collapse;margin:8px 0;font-size:.92em}
            th,td{border:1px solid #d8dde6;padding:4px 8px;text-align:left;vertical-align:top;overflow-wrap:anywhere}
            th{background:#eef2f7}
            .note{font-style:italic;color:#566074}
            footer{margin-top:2em;font-size:.85em;color:#566074}
            """;

    private HtmlWriter() {}

    static String write(CardDocument doc) {
        StringBuilder out = new StringBuilder(16_384);
        out.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                .append("<meta http-equiv=\"Content-Security-Policy\" content=\"")
                .append(escape(CONTENT_SECURITY_POLICY))
                .append("\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>")
                .append(escape(doc.title()))
                .append("</title>\n<style>\n")
                .append(STYLE)
                .append("</style>\n</head>\n<body>\n<main>\n<h1>")
                .append(escape(doc.title()))
                .append("</h1>\n");
        for (Section section : doc.sections()) {
            out.append("<section id=\"").append(id(section.title())).append("\">\n<h2>");
            out.append(escape(section.title())).append("</h2>\n");
            section.blocks().forEach(block -> block(out, block));
            out.append("</section>\n");
        }
        out.append("<footer>").append(escape(doc.footer())).append("</footer>\n</main>\n</body>\n</html>\n");
        return out.toString();
    }

    private static void block(StringBuilder out, Block block) {
        if (block instanceof Heading h) {
            out.append("<h3>").append(escape(h.text())).append("</h3>\n");
        } else if (block instanceof Paragraph p) {
            for (String para : Escapes.clean(p.text()).split("\n\\s*\n")) {
                if (!para.isBlank()) {
                    out.append("<p>")
                            .append(String.join(
                                    "<br>\n", escape(para.strip()).lines().toList()))
                            .append("</p>\n");
                }
            }
        } else if (block instanceof Note n) {
            out.append("<p class=\"note\">").append(escape(n.text())).append("</p>\n");
        } else if (block instanceof Facts f) {
            out.append("<dl>\n");
            for (Fact fact : f.facts()) {
                out.append("<dt>").append(escape(fact.label())).append("</dt><dd>");
                out.append(escape(fact.value())).append("</dd>\n");
            }
            out.append("</dl>\n");
        } else if (block instanceof Table t) {
            table(out, t);
        }
    }

    private static void table(StringBuilder out, Table t) {
        out.append("<div class=\"table\"><table>\n<thead><tr>");
        t.header().forEach(h -> out.append("<th>").append(escape(h)).append("</th>"));
        out.append("</tr></thead>\n<tbody>\n");
        for (List<String> row : t.rows()) {
            out.append("<tr>");
            row.forEach(cell -> out.append("<td>").append(escape(cell)).append("</td>"));
            out.append("</tr>\n");
        }
        out.append("</tbody>\n</table></div>\n");
    }

    /** A section anchor made from a fixed title: lower-case letters and digits joined by dashes. */
    private static String id(String title) {
        return title.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("(^-|-$)", "");
    }

    /** Text safe in element content and in quoted attribute values. */
    static String escape(String text) {
        String clean = Escapes.clean(text);
        StringBuilder out = new StringBuilder(clean.length() + 16);
        for (int i = 0; i < clean.length(); i++) {
            char c = clean.charAt(i);
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }
}
