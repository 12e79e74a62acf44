package dev.cairn.monitoring;

import dev.cairn.core.CairnException;
import java.util.Map;

/**
 * A business metric over a window's confusion counts, written as a small arithmetic expression:
 * numbers, the variables {@code tp}, {@code fp}, {@code tn}, {@code fn} and {@code n} (labeled
 * predictions), {@code + - * /}, unary minus and parentheses; for example {@code 50*fn + 10*fp} for
 * the cost of missed and false delay warnings. Division by zero gives NaN (no value for the window).
 */
public final class BusinessMetric {
    private final String name;
    private final String expression;
    private final Node root;

    private BusinessMetric(String name, String expression, Node root) {
        this.name = name;
        this.expression = expression;
        this.root = root;
    }

    /** Parses {@code expression}, failing with a message that names the metric and the position. */
    public static BusinessMetric parse(String name, String expression) {
        CairnException.requireArgument(
                name != null && name.matches("[A-Za-z][A-Za-z0-9_]{0,63}"),
                "business metric name must be a letter then letters, digits or '_'; got '" + name + "'");
        CairnException.requireArgument(
                expression != null && !expression.isBlank() && expression.length() <= 500,
                "business metric " + name + ": expression must be 1-500 characters");
        Parser p = new Parser(name, expression);
        Node root = p.sum();
        p.skipSpaces();
        if (p.pos < expression.length()) {
            throw p.error("unexpected '" + expression.charAt(p.pos) + "'");
        }
        return new BusinessMetric(name, expression, root);
    }

    public String name() {
        return name;
    }

    public String expression() {
        return expression;
    }

    /** The value over these confusion counts. */
    public double evaluate(long tp, long fp, long tn, long fn) {
        return root.eval(
                Map.of("tp", (double) tp, "fp", (double) fp, "tn", (double) tn, "fn", (double) fn, "n", (double)
                        (tp + fp + tn + fn)));
    }

    private interface Node {
        double eval(Map<String, Double> vars);
    }

    private static final class Parser {
        private final String name;
        private final String text;
        private int pos;

        Parser(String name, String text) {
            this.name = name;
            this.text = text;
        }

        Node sum() {
            Node left = product();
            while (true) {
                char op = peek();
                if (op != '+' && op != '-') {
                    return left;
                }
                pos++;
                Node a = left;
                Node b = product();
                left = op == '+' ? v -> a.eval(v) + b.eval(v) : v -> a.eval(v) - b.eval(v);
            }
        }

        Node product() {
            Node left = unary();
            while (true) {
                char op = peek();
                if (op != '*' && op != '/') {
                    return left;
                }
                pos++;
                Node a = left;
                Node b = unary();
                left = op == '*' ? v -> a.eval(v) * b.eval(v) : v -> divide(a.eval(v), b.eval(v));
            }
        }

        Node unary() {
            if (peek() == '-') {
                pos++;
                Node inner = unary();
                return v -> -inner.eval(v);
            }
            return atom();
        }

        Node atom() {
            char c = peek();
            if (c == '(') {
                pos++;
                Node inner = sum();
                if (peek() != ')') {
                    throw error("expected ')'");
                }
                pos++;
                return inner;
            }
            int start = pos;
            if (Character.isDigit(c) || c == '.') {
                while (pos < text.length() && (Character.isDigit(text.charAt(pos)) || text.charAt(pos) == '.')) {
                    pos++;
                }
                try {
                    double value = Double.parseDouble(text.substring(start, pos));
                    return v -> value;
                } catch (NumberFormatException e) {
                    throw error("bad number '" + text.substring(start, pos) + "'");
                }
            }
            while (pos < text.length() && Character.isLetter(text.charAt(pos))) {
                pos++;
            }
            String variable = text.substring(start, pos);
            if (!variable.matches("tp|fp|tn|fn|n")) {
                throw error(
                        variable.isEmpty()
                                ? "expected a number, a variable or '('"
                                : "unknown variable '" + variable + "' (use tp, fp, tn, fn, n)");
            }
            return v -> v.get(variable);
        }

        char peek() {
            skipSpaces();
            return pos < text.length() ? text.charAt(pos) : '\0';
        }

        void skipSpaces() {
            while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) {
                pos++;
            }
        }

        CairnException error(String what) {
            return CairnException.invalid(
                    "business metric " + name + ": " + what + " at position " + pos + " of '" + text + "'");
        }

        private static double divide(double a, double b) {
            return b == 0 ? Double.NaN : a / b;
        }
    }
}
