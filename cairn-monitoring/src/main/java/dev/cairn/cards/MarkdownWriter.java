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

/**
 * Writes a card as CommonMark with GitHub tables. Recorded text is escaped so that it reads as the
 * literal text it is: Markdown punctuation is backslash-escaped and {@code < > &} become entities,
 * so no recorded string can open a link, an image, raw HTML or a new block.
 */
final class MarkdownWriter {
    private MarkdownWriter() {}

    static String write(CardDocument doc) {
        StringBuilder out = new StringBuilder();
        out.append("# ").append(inline(doc.title())).append("\n\n");
        for (Section section : doc.sections()) {
            out.append("## ").append(inline(section.title())).append("\n\n");
            section.blocks().forEach(block -> block(out, block));
        }
        out.append("---\n\n_").append(inline(doc.footer())).append("_\n");
        return out.toString();
    }

    private static void block(StringBuilder out, Block block) {
        if (block instanceof Heading h) {
            out.append("### ").append(inline(h.text())).append("\n\n");
        } else if (block instanceof Paragraph p) {
            paragraph(out, p.text());
        } else if (block instanceof Note n) {
            out.append('_').append(inline(n.text())).append("_\n\n");
        } else if (block instanceof Facts f) {
            for (Fact fact : f.facts()) {
                out.append("- **")
                        .append(inline(fact.label()))
                        .append(":** ")
                        .append(inline(fact.value()))
                        .append('\n');
            }
            out.append('\n');
        } else if (block instanceof Table t) {
            table(out, t);
        }
    }

    /** Paragraphs split at blank lines; a single line break stays a (backslash) hard break. */
    private static void paragraph(StringBuilder out, String text) {
        for (String para : Escapes.clean(text).split("\n\\s*\n")) {
            List<String> lines = para.strip().lines().map(String::strip).toList();
            if (lines.isEmpty()) {
                continue;
            }
            for (int i = 0; i < lines.size(); i++) {
                out.append(line(lines.get(i), true)).append(i < lines.size() - 1 ? "\\\n" : "\n");
            }
            out.append('\n');
        }
    }

    private static void table(StringBuilder out, Table t) {
        row(out, t.header());
        out.append('|');
        t.header().forEach(h -> out.append(" --- |"));
        out.append('\n');
        t.rows().forEach(r -> row(out, r));
        out.append('\n');
    }

    private static void row(StringBuilder out, List<String> cells) {
        out.append('|');
        for (String cell : cells) {
            String text = inline(cell);
            out.append(' ').append(text.isEmpty() ? " " : text).append(" |");
        }
        out.append('\n');
    }

    /** Text on one line, in running text or a table cell. */
    static String inline(String text) {
        return line(Escapes.clean(text).replaceAll("\\s*\n\\s*", " ").strip(), false);
    }

    /**
     * One line of text escaped; {@code startsLine} when it begins a line of the output, where a
     * leading {@code - + =} or {@code 12.} would start a list or underline a heading.
     */
    private static String line(String text, boolean startsLine) {
        StringBuilder out = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '\\', '`', '*', '[', ']', '|', '~', '#' -> out.append('\\').append(c);
                case '_' -> out.append(intraword(text, i) ? "" : "\\").append(c);
                case '-', '+', '=' ->
                    out.append(startsLine && i == 0 ? "\\" : "").append(c);
                case '.', ')' ->
                    out.append(startsLine && i > 0 && allDigits(text, i) ? "\\" : "")
                            .append(c);
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    /** Whether the character at {@code i} sits between letters or digits, where CommonMark never reads {@code _} as emphasis. */
    private static boolean intraword(String text, int i) {
        return i > 0
                && i < text.length() - 1
                && Character.isLetterOrDigit(text.charAt(i - 1))
                && Character.isLetterOrDigit(text.charAt(i + 1));
    }

    /** Whether everything before {@code end} is digits: "12." would start an ordered list. */
    private static boolean allDigits(String text, int end) {
        for (int i = 0; i < end; i++) {
            if (!Character.isDigit(text.charAt(i))) {
                return false;
            }
        }
        return true;
    }
}
