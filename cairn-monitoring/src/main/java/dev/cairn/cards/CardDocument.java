package dev.cairn.cards;

import java.util.ArrayList;
import java.util.List;

/**
 * A model card laid out as a title and sections of simple blocks, so that Markdown and HTML are
 * written from the same structure and cannot disagree. Every string is plain text; writers escape.
 */
record CardDocument(String title, List<Section> sections, String footer) {
    CardDocument {
        sections = List.copyOf(sections);
    }

    /** A titled section of a card. */
    record Section(String title, List<Block> blocks) {
        Section {
            blocks = List.copyOf(blocks);
        }
    }

    /** A piece of a section. */
    sealed interface Block permits Heading, Paragraph, Note, Facts, Table {}

    /** A sub-heading inside a section. */
    record Heading(String text) implements Block {}

    /** Recorded prose; blank lines separate paragraphs, single line breaks are kept. */
    record Paragraph(String text) implements Block {}

    /** A statement about the record itself (where a fact comes from, or that it is not recorded), set in italics. */
    record Note(String text) implements Block {}

    /** Labelled facts, one per line. */
    record Facts(List<Fact> facts) implements Block {
        Facts {
            facts = List.copyOf(facts);
        }
    }

    /** One labelled fact. */
    record Fact(String label, String value) {}

    /** A table; every row has as many cells as the header. */
    record Table(List<String> header, List<List<String>> rows) implements Block {
        Table {
            header = List.copyOf(header);
            List<List<String>> copied = new ArrayList<>();
            for (List<String> row : rows) {
                if (row.size() != header.size()) {
                    throw new IllegalArgumentException("row " + row + " does not match header " + header);
                }
                copied.add(List.copyOf(row));
            }
            rows = List.copyOf(copied);
        }
    }
}
