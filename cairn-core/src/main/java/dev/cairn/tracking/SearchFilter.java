package dev.cairn.tracking;

import dev.cairn.core.CairnException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Parses MLflow's search grammar: a filter is comparisons joined by {@code AND} (MLflow has no
 * {@code OR}), as in {@code metrics.acc > 0.9 and params.lr = '0.1'}; an order-by clause is an
 * identifier with an optional {@code ASC}/{@code DESC}. Keys with spaces or symbols are written
 * {@code metrics.`my key`} or {@code tags."a b"}. Every error is a {@code INVALID_PARAMETER_VALUE}
 * naming the offending token.
 */
public final class SearchFilter {

    /**
     * What a filter searches: the entity prefixes, the attributes a filter may compare (string or
     * numeric), the attributes an order-by may name (all of them when empty) and attribute aliases.
     */
    public enum Target {
        RUNS(
                Set.of(Entity.METRIC, Entity.PARAM, Entity.TAG, Entity.ATTRIBUTE, Entity.DATASET),
                "metrics, params, tags, attributes, datasets",
                RUN_STRING_ATTRIBUTES,
                RUN_NUMERIC_ATTRIBUTES,
                Set.of(),
                RUN_ATTRIBUTE_ALIASES),
        EXPERIMENTS(
                Set.of(Entity.TAG, Entity.ATTRIBUTE),
                "tags, attributes",
                union(EXPERIMENT_STRING_ATTRIBUTES, Set.of("experiment_id")),
                EXPERIMENT_NUMERIC_ATTRIBUTES,
                EXPERIMENT_ORDER_ATTRIBUTES,
                Map.of()),
        REGISTERED_MODELS(
                Set.of(Entity.TAG, Entity.ATTRIBUTE),
                "tags, attributes",
                Set.of("name"),
                Set.of(),
                Set.of("name", "creation_timestamp", "last_updated_timestamp"),
                Map.of("timestamp", "last_updated_timestamp")),
        MODEL_VERSIONS(
                Set.of(Entity.TAG, Entity.ATTRIBUTE),
                "tags, attributes",
                Set.of("name", "run_id", "source_path"),
                Set.of("version_number"),
                Set.of("name", "version_number", "creation_timestamp", "last_updated_timestamp"),
                Map.of("timestamp", "last_updated_timestamp"));

        private final Set<Entity> entities;
        private final String entityNames;
        private final Set<String> stringAttributes;
        private final Set<String> numericAttributes;
        private final Set<String> orderAttributes;
        private final Map<String, String> aliases;

        Target(
                Set<Entity> entities,
                String entityNames,
                Set<String> stringAttributes,
                Set<String> numericAttributes,
                Set<String> orderAttributes,
                Map<String, String> aliases) {
            this.entities = entities;
            this.entityNames = entityNames;
            this.stringAttributes = stringAttributes;
            this.numericAttributes = numericAttributes;
            this.orderAttributes = orderAttributes;
            this.aliases = aliases;
        }

        private Set<String> filterAttributes() {
            return union(stringAttributes, numericAttributes);
        }
    }

    /** The kind of thing an identifier names: {@code metrics.x}, {@code tags.x}, a plain attribute... */
    public enum Entity {
        METRIC,
        PARAM,
        TAG,
        ATTRIBUTE,
        DATASET
    }

    /** A comparison operator. */
    public enum Op {
        EQ("="),
        NE("!="),
        GT(">"),
        GE(">="),
        LT("<"),
        LE("<="),
        LIKE("LIKE"),
        ILIKE("ILIKE"),
        IN("IN"),
        NOT_IN("NOT IN");

        final String sql;

        Op(String sql) {
            this.sql = sql;
        }

        /** The operator as SQL text, e.g. {@code >=} or {@code NOT IN}. */
        public String sql() {
            return sql;
        }

        boolean numeric() {
            return ordinal() <= LE.ordinal();
        }
    }

    /** One {@code entity.key op value}; {@code number} is set for numeric values, {@code list} for IN. */
    public record Comparison(Entity entity, String key, Op op, String text, double number, List<String> list) {}

    /** One order-by clause. */
    public record OrderBy(Entity entity, String key, boolean ascending) {}

    private static final Map<String, Entity> PREFIXES = Map.ofEntries(
            Map.entry("metric", Entity.METRIC),
            Map.entry("metrics", Entity.METRIC),
            Map.entry("parameter", Entity.PARAM),
            Map.entry("parameters", Entity.PARAM),
            Map.entry("param", Entity.PARAM),
            Map.entry("params", Entity.PARAM),
            Map.entry("tag", Entity.TAG),
            Map.entry("tags", Entity.TAG),
            Map.entry("attribute", Entity.ATTRIBUTE),
            Map.entry("attributes", Entity.ATTRIBUTE),
            Map.entry("attr", Entity.ATTRIBUTE),
            Map.entry("run", Entity.ATTRIBUTE),
            Map.entry("dataset", Entity.DATASET),
            Map.entry("datasets", Entity.DATASET));

    private static final Map<String, String> RUN_ATTRIBUTE_ALIASES = Map.of(
            "created", "start_time",
            "Created", "start_time",
            "run name", "run_name",
            "Run name", "run_name",
            "Run Name", "run_name");
    static final Set<String> RUN_NUMERIC_ATTRIBUTES = Set.of("start_time", "end_time");
    static final Set<String> RUN_STRING_ATTRIBUTES =
            Set.of("run_id", "run_name", "status", "user_id", "artifact_uri", "lifecycle_stage", "experiment_id");
    static final Set<String> EXPERIMENT_NUMERIC_ATTRIBUTES = Set.of("creation_time", "last_update_time");
    static final Set<String> EXPERIMENT_STRING_ATTRIBUTES = Set.of("name");
    static final Set<String> EXPERIMENT_ORDER_ATTRIBUTES =
            Set.of("name", "experiment_id", "creation_time", "last_update_time");
    static final Set<String> DATASET_KEYS = Set.of("name", "digest", "context");

    private final String input;
    /** What is parsed, as errors name it: "search expression" or "order_by clause". */
    private final String what;

    private final Target target;
    private final List<Token> tokens;
    private int position;

    private SearchFilter(String input, String what, Target target) {
        this.input = input;
        this.what = what;
        this.target = target;
        this.tokens = new Lexer(input).tokens();
    }

    /** Parses a filter; an empty or blank filter matches everything. */
    public static List<Comparison> parse(String filter, Target target) {
        if (filter == null || filter.isBlank()) {
            return List.of();
        }
        return new SearchFilter(filter, "search expression", target).comparisons();
    }

    /** Parses one order-by clause such as {@code metrics.acc DESC}. */
    public static OrderBy parseOrderBy(String clause, Target target) {
        CairnException.requireArgument(
                clause != null && !clause.isBlank(), "Invalid order_by clause '" + clause + "': it is empty");
        return new SearchFilter(clause, "order_by clause", target).orderBy();
    }

    private List<Comparison> comparisons() {
        List<Comparison> result = new ArrayList<>();
        result.add(comparison());
        while (!atEnd()) {
            Token token = next();
            if (!token.isKeyword("AND")) {
                throw error(token, "expected AND between comparisons (OR is not supported)");
            }
            CairnException.requireArgument(!atEnd(), "Invalid filter '" + input + "': it ends after AND");
            result.add(comparison());
        }
        return result;
    }

    private OrderBy orderBy() {
        Identifier id = identifier();
        checkOrderable(id);
        boolean ascending = true;
        if (!atEnd()) {
            Token direction = next();
            if (direction.isKeyword("DESC")) {
                ascending = false;
            } else if (!direction.isKeyword("ASC")) {
                throw error(direction, "expected ASC or DESC");
            }
        }
        if (!atEnd()) {
            throw error(peek(), "unexpected text after the order-by clause");
        }
        return new OrderBy(id.entity, id.key, ascending);
    }

    private void checkOrderable(Identifier id) {
        if (!target.orderAttributes.isEmpty()) {
            if (id.entity != Entity.ATTRIBUTE || !target.orderAttributes.contains(id.key)) {
                throw CairnException.invalid("Invalid order_by key '" + id.key + "' in '" + input + "'. Valid keys are "
                        + sorted(target.orderAttributes));
            }
        } else if (id.entity == Entity.DATASET) {
            throw CairnException.invalid("Invalid order_by clause '" + input + "': datasets cannot be ordered by");
        }
    }

    private Comparison comparison() {
        Identifier id = identifier();
        if (id.entity == Entity.ATTRIBUTE && !target.filterAttributes().contains(id.key)) {
            throw CairnException.invalid("Invalid filter '" + input + "': attribute '" + id.key
                    + "' cannot be compared; valid keys are " + sorted(target.filterAttributes()));
        }
        Token opToken = next();
        Op op = operator(opToken);
        checkOperator(id, op, opToken);
        if (op == Op.IN || op == Op.NOT_IN) {
            return new Comparison(id.entity, id.key, op, "", 0, stringList());
        }
        if (numeric(id)) {
            Token first = next();
            Token value = first.kind == Kind.SIGN ? next() : first;
            if (value.kind != Kind.NUMBER) {
                throw error(value, "expected a numeric value for " + describe(id));
            }
            boolean negative = first.kind == Kind.SIGN && first.text.equals("-");
            double number = Double.parseDouble(value.text);
            return new Comparison(
                    id.entity, id.key, op, (negative ? "-" : "") + value.text, negative ? -number : number, List.of());
        }
        Token value = next();
        if (value.kind != Kind.STRING && value.kind != Kind.DOUBLE_QUOTED) {
            throw error(value, "expected a quoted string value for " + describe(id) + " (e.g. 'my-value')");
        }
        return new Comparison(id.entity, id.key, op, value.text, 0, List.of());
    }

    private boolean numeric(Identifier id) {
        return switch (id.entity) {
            case METRIC -> true;
            case ATTRIBUTE -> numericAttributes().contains(id.key);
            default -> false;
        };
    }

    private Set<String> numericAttributes() {
        return target.numericAttributes;
    }

    private void checkOperator(Identifier id, Op op, Token opToken) {
        boolean allowed = numeric(id) ? op.numeric() : !op.numeric() || op == Op.EQ || op == Op.NE;
        if (!allowed) {
            throw error(
                    opToken,
                    "the operator " + op.sql + " is not valid for " + describe(id)
                            + (numeric(id) ? "; use one of = != > >= < <=" : "; use one of = != LIKE ILIKE IN NOT IN"));
        }
    }

    private static String describe(Identifier id) {
        return id.entity.name().toLowerCase(Locale.ROOT) + " '" + id.key + "'";
    }

    private List<String> stringList() {
        Token open = next();
        if (open.kind != Kind.OPEN) {
            throw error(open, "expected '(' to start a list of quoted strings");
        }
        List<String> values = new ArrayList<>();
        while (true) {
            Token value = next();
            if (value.kind != Kind.STRING && value.kind != Kind.DOUBLE_QUOTED) {
                throw error(value, "expected a quoted string in the list");
            }
            values.add(value.text);
            Token separator = next();
            if (separator.kind == Kind.CLOSE) {
                return values;
            }
            if (separator.kind != Kind.COMMA) {
                throw error(separator, "expected ',' or ')' in the list");
            }
        }
    }

    private Op operator(Token token) {
        if (token.kind == Kind.OPERATOR) {
            return switch (token.text) {
                case "=" -> Op.EQ;
                case "!=" -> Op.NE;
                case ">" -> Op.GT;
                case ">=" -> Op.GE;
                case "<" -> Op.LT;
                case "<=" -> Op.LE;
                default -> throw error(token, "unknown operator");
            };
        }
        if (token.isKeyword("LIKE")) {
            return Op.LIKE;
        }
        if (token.isKeyword("ILIKE")) {
            return Op.ILIKE;
        }
        if (token.isKeyword("IN")) {
            return Op.IN;
        }
        if (token.isKeyword("NOT")) {
            Token in = next();
            if (in.isKeyword("IN")) {
                return Op.NOT_IN;
            }
            throw error(in, "expected IN after NOT");
        }
        throw error(token, "expected a comparison operator (= != > >= < <= LIKE ILIKE IN NOT IN)");
    }

    private record Identifier(Entity entity, String key) {}

    private Identifier identifier() {
        Token token = next();
        if (token.kind == Kind.BACKTICKED || token.kind == Kind.DOUBLE_QUOTED) {
            return resolve(Entity.ATTRIBUTE, token.text, token);
        }
        if (token.kind != Kind.WORD) {
            throw error(
                    token,
                    "expected an identifier such as metrics.<key>, params.<key>, tags.<key> or" + " attributes.<key>");
        }
        int dot = token.text.indexOf('.');
        if (dot < 0) {
            return resolve(Entity.ATTRIBUTE, token.text, token);
        }
        String prefix = token.text.substring(0, dot);
        Entity entity = PREFIXES.get(prefix);
        if (entity == null || !target.entities.contains(entity)) {
            throw error(token, "invalid entity type '" + prefix + "'; valid values are " + target.entityNames);
        }
        String key = token.text.substring(dot + 1);
        if (key.isEmpty()) {
            if (!atEnd() && (peek().kind == Kind.BACKTICKED || peek().kind == Kind.DOUBLE_QUOTED)) {
                Token quoted = next();
                return resolve(entity, quoted.text, quoted);
            }
            throw error(token, "missing key after '" + prefix + ".'");
        }
        return resolve(entity, key, token);
    }

    private Identifier resolve(Entity entity, String rawKey, Token token) {
        if (entity == Entity.ATTRIBUTE) {
            String key = target.aliases.getOrDefault(rawKey, rawKey);
            Set<String> valid = union(target.filterAttributes(), target.orderAttributes);
            if (!valid.contains(key)) {
                throw error(token, "invalid attribute key '" + rawKey + "'; valid keys are " + sorted(valid));
            }
            return new Identifier(entity, key);
        }
        if (entity == Entity.DATASET && !DATASET_KEYS.contains(rawKey)) {
            throw error(token, "invalid dataset key '" + rawKey + "'; valid keys are " + sorted(DATASET_KEYS));
        }
        return new Identifier(entity, rawKey);
    }

    @SafeVarargs
    private static Set<String> union(Set<String>... sets) {
        Set<String> all = new java.util.HashSet<>();
        for (Set<String> set : sets) {
            all.addAll(set);
        }
        return all;
    }

    private static List<String> sorted(Set<String> values) {
        return values.stream().sorted().toList();
    }

    private boolean atEnd() {
        return position >= tokens.size();
    }

    private Token peek() {
        return tokens.get(position);
    }

    private Token next() {
        if (atEnd()) {
            throw CairnException.invalid("Invalid filter '" + input + "': it ends unexpectedly");
        }
        return tokens.get(position++);
    }

    private CairnException error(Token token, String problem) {
        return CairnException.invalid("Invalid " + what + " '" + input + "' at '" + token.source + "' (position "
                + token.offset + "): " + problem);
    }

    enum Kind {
        WORD,
        STRING,
        DOUBLE_QUOTED,
        BACKTICKED,
        NUMBER,
        SIGN,
        OPERATOR,
        OPEN,
        CLOSE,
        COMMA
    }

    /** A lexical token; {@code text} is the unquoted content, {@code source} the text as written. */
    record Token(Kind kind, String text, String source, int offset) {
        boolean isKeyword(String keyword) {
            return kind == Kind.WORD && text.equalsIgnoreCase(keyword);
        }
    }

    /** Splits a filter into tokens. */
    private static final class Lexer {
        private final String s;
        private int i;
        private final List<Token> tokens = new ArrayList<>();

        Lexer(String s) {
            this.s = s;
        }

        List<Token> tokens() {
            while (true) {
                while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
                    i++;
                }
                if (i >= s.length()) {
                    return tokens;
                }
                tokens.add(token());
            }
        }

        private Token token() {
            int start = i;
            char c = s.charAt(i);
            switch (c) {
                case '\'':
                    return quoted(Kind.STRING, '\'');
                case '"':
                    return quoted(Kind.DOUBLE_QUOTED, '"');
                case '`':
                    return quoted(Kind.BACKTICKED, '`');
                case '(':
                    i++;
                    return new Token(Kind.OPEN, "(", "(", start);
                case ')':
                    i++;
                    return new Token(Kind.CLOSE, ")", ")", start);
                case ',':
                    i++;
                    return new Token(Kind.COMMA, ",", ",", start);
                case '+':
                case '-':
                    i++;
                    return new Token(Kind.SIGN, String.valueOf(c), String.valueOf(c), start);
                case '=':
                case '<':
                case '>':
                case '!':
                    return operator();
                default:
                    break;
            }
            if (isDigit(c) || (c == '.' && i + 1 < s.length() && isDigit(s.charAt(i + 1)))) {
                return number();
            }
            if (isWordChar(c)) {
                while (i < s.length() && isWordChar(s.charAt(i))) {
                    i++;
                }
                String word = s.substring(start, i);
                return new Token(Kind.WORD, word, word, start);
            }
            throw CairnException.invalid("Invalid search expression '" + s + "' at '" + c + "' (position " + start
                    + "): unexpected character");
        }

        /** ASCII digits only: other scripts' digits are letters here, never numbers. */
        private static boolean isDigit(char c) {
            return c >= '0' && c <= '9';
        }

        private static boolean isWordChar(char c) {
            return Character.isLetterOrDigit(c) || c == '_' || c == '.' || c == '-' || c == '/' || c == ':';
        }

        private Token operator() {
            int start = i;
            char c = s.charAt(i++);
            boolean equalsFollows = i < s.length() && s.charAt(i) == '=';
            if (equalsFollows && c != '=') {
                i++;
            } else if (c == '!') {
                throw CairnException.invalid(
                        "Invalid search expression '" + s + "' at '!' (position " + start + "): expected '!='");
            }
            String op = s.substring(start, i);
            return new Token(Kind.OPERATOR, op, op, start);
        }

        private Token number() {
            int start = i;
            while (i < s.length() && isDigit(s.charAt(i))) {
                i++;
            }
            if (i < s.length() && s.charAt(i) == '.') {
                i++;
                while (i < s.length() && isDigit(s.charAt(i))) {
                    i++;
                }
            }
            if (i < s.length() && (s.charAt(i) == 'e' || s.charAt(i) == 'E')) {
                int mark = i++;
                if (i < s.length() && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
                    i++;
                }
                if (i < s.length() && isDigit(s.charAt(i))) {
                    while (i < s.length() && isDigit(s.charAt(i))) {
                        i++;
                    }
                } else {
                    i = mark;
                }
            }
            if (i < s.length() && isWordChar(s.charAt(i)) && s.charAt(i) != '-') {
                // Not a number after all (e.g. 1abc): a word, which the parser will reject in value position.
                while (i < s.length() && isWordChar(s.charAt(i))) {
                    i++;
                }
                String word = s.substring(start, i);
                return new Token(Kind.WORD, word, word, start);
            }
            String number = s.substring(start, i);
            return new Token(Kind.NUMBER, number, number, start);
        }

        /** A quoted token; the quote character is escaped by doubling it, as in SQL. */
        private Token quoted(Kind kind, char quote) {
            int start = i++;
            StringBuilder text = new StringBuilder();
            while (true) {
                if (i >= s.length()) {
                    throw CairnException.invalid("Invalid search expression '" + s + "' at position " + start
                            + ": unterminated quoted text " + s.substring(start));
                }
                char c = s.charAt(i++);
                if (c == quote) {
                    if (i < s.length() && s.charAt(i) == quote) {
                        text.append(quote);
                        i++;
                        continue;
                    }
                    return new Token(kind, text.toString(), s.substring(start, i), start);
                }
                text.append(c);
            }
        }
    }
}
