package dev.cairn.cards;

/** What both writers do to recorded text before escaping it for their format. */
final class Escapes {
    private Escapes() {}

    /**
     * Line breaks normalized to {@code \n}, tabs to spaces, and every other control character
     * (invalid in HTML, invisible in a terminal) replaced by U+FFFD.
     */
    static String clean(String text) {
        String unified = text.replace("\r\n", "\n").replace('\r', '\n').replace('\t', ' ');
        StringBuilder out = new StringBuilder(unified.length());
        unified.codePoints().forEach(cp -> {
            boolean control = Character.getType(cp) == Character.CONTROL && cp != '\n';
            boolean unpaired = Character.getType(cp) == Character.SURROGATE;
            out.appendCodePoint(control || unpaired ? 0xFFFD : cp);
        });
        return out.toString();
    }
}
