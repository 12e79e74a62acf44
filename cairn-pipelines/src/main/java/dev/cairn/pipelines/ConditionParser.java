package dev.cairn.pipelines;

import dev.cairn.core.CairnException;

/** A recursive-descent parser for {@link Condition} expressions. */
final class ConditionParser {
    private final String text;
    private int pos;

    ConditionParser(String text) {
        this.text = text;
    }

    ConditionExpr parse() {
        ConditionExpr expr = or();
        skipSpace();
        if (pos < text.length()) {
            throw error("unexpected '" + text.substring(pos) + "'");
        }
        return expr;
    }

    private ConditionExpr or() {
        ConditionExpr left = and();
        while (accept("||") || acceptWord("or")) {
            left = new ConditionExpr.Logical(false, left, and());
        }
        return left;
    }

    private ConditionExpr and() {
        ConditionExpr left = not();
        while (accept("&&") || acceptWord("and")) {
            left = new ConditionExpr.Logical(true, left, not());
        }
        return left;
    }

    private ConditionExpr not() {
        skipSpace();
        if (text.startsWith("!", pos) && !text.startsWith("!=", pos)) {
            pos++;
            return new ConditionExpr.Not(not());
        }
        if (acceptWord("not")) {
            return new ConditionExpr.Not(not());
        }
        return comparison();
    }

    private ConditionExpr comparison() {
        ConditionExpr left = primary();
        for (String op : new String[] {"==", "!=", "<=", ">=", "<", ">"}) {
            if (accept(op)) {
                return new ConditionExpr.Compare(op, left, primary());
            }
        }
        return left;
    }

    private ConditionExpr primary() {
        skipSpace();
        if (pos >= text.length()) {
            throw error("unexpected end of expression");
        }
        char c = text.charAt(pos);
        if (c == '(') {
            pos++;
            ConditionExpr inner = or();
            if (!accept(")")) {
                throw error("missing ')'");
            }
            return inner;
        }
        if (c == '\'' || c == '"') {
            return string(c);
        }
        if (Character.isDigit(c) || c == '-' || c == '.') {
            return number();
        }
        String word = word();
        return switch (word) {
            case "true" -> new ConditionExpr.Literal(true);
            case "false" -> new ConditionExpr.Literal(false);
            default -> paramRef(word);
        };
    }

    private ConditionExpr paramRef(String word) {
        if (!word.startsWith("params.") || word.length() == "params.".length()) {
            throw error("expected params.<name>, a number, a quoted string, true or false, got '" + word + "'");
        }
        return new ConditionExpr.ParamRef(word.substring("params.".length()));
    }

    private ConditionExpr string(char quote) {
        int end = text.indexOf(quote, pos + 1);
        if (end < 0) {
            throw error("unterminated string");
        }
        String value = text.substring(pos + 1, end);
        pos = end + 1;
        return new ConditionExpr.Literal(value);
    }

    private ConditionExpr number() {
        int start = pos;
        pos++;
        while (pos < text.length() && "0123456789.eE+-".indexOf(text.charAt(pos)) >= 0) {
            pos++;
        }
        String raw = text.substring(start, pos);
        try {
            if (raw.matches("-?\\d+")) {
                return new ConditionExpr.Literal(Long.parseLong(raw));
            }
            return new ConditionExpr.Literal(Double.parseDouble(raw));
        } catch (NumberFormatException e) {
            pos = start;
            throw error("bad number '" + raw + "'");
        }
    }

    private String word() {
        int start = pos;
        while (pos < text.length()
                && (Character.isLetterOrDigit(text.charAt(pos)) || "._-".indexOf(text.charAt(pos)) >= 0)) {
            pos++;
        }
        if (start == pos) {
            throw error("unexpected '" + text.charAt(pos) + "'");
        }
        return text.substring(start, pos);
    }

    private boolean accept(String token) {
        skipSpace();
        if (text.startsWith(token, pos)) {
            pos += token.length();
            return true;
        }
        return false;
    }

    private boolean acceptWord(String word) {
        skipSpace();
        int end = pos + word.length();
        if (text.startsWith(word, pos) && (end == text.length() || !Character.isLetterOrDigit(text.charAt(end)))) {
            pos = end;
            return true;
        }
        return false;
    }

    private void skipSpace() {
        while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) {
            pos++;
        }
    }

    private CairnException error(String message) {
        return CairnException.invalid("condition '" + text + "' at column " + (pos + 1) + ": " + message);
    }
}
