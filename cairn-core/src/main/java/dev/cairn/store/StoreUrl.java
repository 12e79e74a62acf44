package dev.cairn.store;

import dev.cairn.core.CairnException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Where the metadata store lives, parsed from a user-facing URL.
 *
 * <ul>
 *   <li>{@code sqlite:///abs/path/cairn.db}: an absolute file path ({@code sqlite:////abs/path} is
 *       accepted too, as SQLAlchemy writes it);
 *   <li>{@code sqlite:relative/cairn.db}: a path relative to the working directory;
 *   <li>{@code jdbc:sqlite:path}: a JDBC URL, the path taken as is;
 *   <li>{@code postgresql://user:pass@host:port/db?params} (or {@code postgres://}): user and
 *       password percent-decoded from the user info;
 *   <li>{@code jdbc:postgresql://host:port/db?user=...&password=...}: passed to the driver as is.
 * </ul>
 */
public record StoreUrl(Dialect dialect, String jdbcUrl, Optional<String> user, Optional<String> password) {

    public static StoreUrl parse(String url) {
        CairnException.requireArgument(url != null && !url.isBlank(), "store URL must not be empty");
        String u = url.strip();
        if (u.startsWith("jdbc:sqlite:")) {
            return sqlite(Path.of(u.substring("jdbc:sqlite:".length())));
        }
        if (u.startsWith("sqlite:")) {
            return sqlite(sqlitePath(u));
        }
        if (u.startsWith("jdbc:postgresql:")) {
            return new StoreUrl(Dialect.POSTGRESQL, u, Optional.empty(), Optional.empty());
        }
        if (u.startsWith("postgresql://") || u.startsWith("postgres://")) {
            return postgresql(u);
        }
        throw CairnException.invalid("store URL '" + redact(u)
                + "' must start with sqlite:, postgresql://, jdbc:sqlite: or jdbc:postgresql:");
    }

    /** A SQLite store in {@code file}. */
    public static StoreUrl sqlite(Path file) {
        CairnException.requireArgument(!file.toString().isEmpty(), "store URL names no SQLite file: '" + file + "'");
        Path absolute = file.toAbsolutePath().normalize();
        return new StoreUrl(Dialect.SQLITE, "jdbc:sqlite:" + absolute, Optional.empty(), Optional.empty());
    }

    /** The SQLite database file, when this is a SQLite store. */
    public Optional<Path> sqliteFile() {
        return dialect == Dialect.SQLITE
                ? Optional.of(Path.of(jdbcUrl.substring("jdbc:sqlite:".length())))
                : Optional.empty();
    }

    @Override
    public String toString() {
        return redact(jdbcUrl) + user.map(n -> " (user " + n + ")").orElse("");
    }

    private static Path sqlitePath(String url) {
        String rest = url.substring("sqlite:".length());
        int query = rest.indexOf('?');
        CairnException.requireArgument(query < 0, "store URL '" + url + "' must not carry a query string");
        if (rest.startsWith("//")) {
            String afterAuthority = rest.substring(2);
            CairnException.requireArgument(
                    afterAuthority.startsWith("/"),
                    "store URL '" + url + "' must be sqlite:///absolute/path or sqlite:relative/path");
            rest = afterAuthority;
        }
        CairnException.requireArgument(!rest.isEmpty(), "store URL '" + url + "' names no SQLite file");
        return Path.of(rest);
    }

    private static StoreUrl postgresql(String url) {
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw CairnException.invalid("store URL '" + redact(url) + "' is not a valid URL: " + e.getReason());
        }
        CairnException.requireArgument(
                uri.getHost() != null, "store URL '" + redact(url) + "' names no PostgreSQL host");
        String path = uri.getRawPath() == null ? "" : uri.getRawPath();
        CairnException.requireArgument(
                path.length() > 1, "store URL '" + redact(url) + "' names no PostgreSQL database");
        String hostPort = uri.getHost() + (uri.getPort() > 0 ? ":" + uri.getPort() : "");
        String query = uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery();
        String jdbc = "jdbc:postgresql://" + hostPort + path + query;
        Optional<String> user = Optional.empty();
        Optional<String> password = Optional.empty();
        String userInfo = uri.getRawUserInfo();
        if (userInfo != null && !userInfo.isEmpty()) {
            int colon = userInfo.indexOf(':');
            user = Optional.of(decode(colon < 0 ? userInfo : userInfo.substring(0, colon)));
            password = colon < 0 ? Optional.empty() : Optional.of(decode(userInfo.substring(colon + 1)));
        }
        return new StoreUrl(Dialect.POSTGRESQL, jdbc, user, password);
    }

    private static String decode(String s) {
        return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    /** Hides a password in a URL so that it can appear in messages and logs. */
    static String redact(String url) {
        String withoutUserInfoPassword = url.replaceAll("(//[^/:@]*):[^@/]*@", "$1:***@");
        return withoutUserInfoPassword.replaceAll("(?i)(password=)[^&]*", "$1***");
    }
}
