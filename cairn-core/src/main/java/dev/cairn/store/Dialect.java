package dev.cairn.store;

/** The SQL database behind a {@link Database}; the few SQL differences between the two live here. */
public enum Dialect {
    SQLITE("classpath:db/migration/sqlite"),
    POSTGRESQL("classpath:db/migration/postgresql");

    private final String migrationLocation;

    Dialect(String migrationLocation) {
        this.migrationLocation = migrationLocation;
    }

    /** The Flyway location of this dialect's migrations. */
    public String migrationLocation() {
        return migrationLocation;
    }

    /**
     * A case-insensitive {@code LIKE} of {@code column} against a bound pattern expression. SQLite
     * connections of Cairn run with case-sensitive {@code LIKE}, as PostgreSQL does.
     */
    public String ilike(String column, String pattern) {
        return switch (this) {
            case SQLITE -> "LOWER(" + column + ") LIKE LOWER(" + pattern + ")";
            case POSTGRESQL -> column + " ILIKE " + pattern;
        };
    }
}
