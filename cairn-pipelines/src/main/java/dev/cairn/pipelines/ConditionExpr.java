package dev.cairn.pipelines;

import dev.cairn.core.CairnException;
import java.util.Map;
import java.util.Set;

/** A node of a parsed {@link Condition}. */
sealed interface ConditionExpr {
    Object evaluate(Map<String, Object> params);

    default void collectParams(Set<String> names) {}

    record Literal(Object value) implements ConditionExpr {
        @Override
        public Object evaluate(Map<String, Object> params) {
            return value;
        }
    }

    record ParamRef(String name) implements ConditionExpr {
        @Override
        public Object evaluate(Map<String, Object> params) {
            Object value = params.get(name);
            if (value == null) {
                throw CairnException.invalid("condition refers to unknown parameter '" + name + "'");
            }
            return value;
        }

        @Override
        public void collectParams(Set<String> names) {
            names.add(name);
        }
    }

    record Not(ConditionExpr operand) implements ConditionExpr {
        @Override
        public Object evaluate(Map<String, Object> params) {
            return !asBoolean(operand.evaluate(params));
        }

        @Override
        public void collectParams(Set<String> names) {
            operand.collectParams(names);
        }
    }

    record Logical(boolean and, ConditionExpr left, ConditionExpr right) implements ConditionExpr {
        @Override
        public Object evaluate(Map<String, Object> params) {
            boolean l = asBoolean(left.evaluate(params));
            if (and ? !l : l) {
                return l;
            }
            return asBoolean(right.evaluate(params));
        }

        @Override
        public void collectParams(Set<String> names) {
            left.collectParams(names);
            right.collectParams(names);
        }
    }

    record Compare(String op, ConditionExpr left, ConditionExpr right) implements ConditionExpr {
        @Override
        public Object evaluate(Map<String, Object> params) {
            Object l = left.evaluate(params);
            Object r = right.evaluate(params);
            int order = compare(l, r);
            return switch (op) {
                case "==" -> order == 0;
                case "!=" -> order != 0;
                case "<" -> order < 0;
                case "<=" -> order <= 0;
                case ">" -> order > 0;
                case ">=" -> order >= 0;
                default -> throw new IllegalStateException(op);
            };
        }

        private int compare(Object l, Object r) {
            if (l instanceof Number a && r instanceof Number b) {
                return Double.compare(a.doubleValue(), b.doubleValue());
            }
            if (l instanceof String a && r instanceof String b) {
                return a.compareTo(b);
            }
            if (l instanceof Boolean a && r instanceof Boolean b && (op.equals("==") || op.equals("!="))) {
                return a.equals(b) ? 0 : 1;
            }
            throw CairnException.invalid("condition cannot compare " + l + " " + op + " " + r);
        }

        @Override
        public void collectParams(Set<String> names) {
            left.collectParams(names);
            right.collectParams(names);
        }
    }

    private static boolean asBoolean(Object value) {
        if (value instanceof Boolean b) {
            return b;
        }
        throw CairnException.invalid("condition expects a boolean, got " + value);
    }
}
