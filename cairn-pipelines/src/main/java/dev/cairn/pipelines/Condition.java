package dev.cairn.pipelines;

import dev.cairn.core.CairnException;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * A {@code when} condition on parameters, e.g. {@code params.retrain == true && params.lr < 0.5}:
 * comparisons ({@code == != < <= > >=}) of parameters and literals (numbers, quoted strings,
 * {@code true}, {@code false}), combined with {@code && || !} and parentheses.
 */
public final class Condition {
    private final String expression;
    private final ConditionExpr root;

    private Condition(String expression, ConditionExpr root) {
        this.expression = expression;
        this.root = root;
    }

    /** Parses an expression; a syntax error names the position. */
    public static Condition parse(String expression) {
        return new Condition(expression, new ConditionParser(expression).parse());
    }

    public String expression() {
        return expression;
    }

    /** The names of the parameters the condition reads. */
    public Set<String> referencedParams() {
        Set<String> names = new TreeSet<>();
        root.collectParams(names);
        return names;
    }

    /** Evaluates the condition against resolved parameter values. */
    public boolean evaluate(Map<String, Object> params) {
        Object value = root.evaluate(params);
        if (value instanceof Boolean b) {
            return b;
        }
        throw CairnException.invalid("condition '" + expression + "' is not a boolean: " + value);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Condition c && c.expression.equals(expression);
    }

    @Override
    public int hashCode() {
        return expression.hashCode();
    }

    @Override
    public String toString() {
        return expression;
    }
}
