package dev.cairn.store;

import java.io.IOException;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLConnection;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Enumeration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.sql.DataSource;

/**
 * Tells, cheaply, whether a database already has every migration on the class path applied, so
 * that opening an up-to-date store skips Flyway: starting Flyway (class loading, scanning,
 * validation) costs a large part of the server's start-up. Any doubt answers "no", and Flyway runs.
 */
final class AppliedMigrations {
    private static final Pattern VERSIONED = Pattern.compile("V([0-9][0-9_.]*)__[^/]*\\.sql");

    private AppliedMigrations() {}

    static boolean upToDate(DataSource source, Dialect dialect) {
        try {
            Set<String> available = available(dialect);
            return !available.isEmpty() && available.equals(applied(source));
        } catch (IOException | SQLException | URISyntaxException | RuntimeException e) {
            return false;
        }
    }

    /** The versions of the dialect's migration scripts, as Flyway writes them ({@code 6_1} is {@code 6.1}). */
    private static Set<String> available(Dialect dialect) throws IOException, URISyntaxException {
        Set<String> versions = new HashSet<>();
        for (String name : names(dialect)) {
            addVersion(versions, name);
        }
        return versions;
    }

    /** The file names of the dialect's migration scripts ({@code V6_1__deployments.sql}), sorted. */
    static List<String> scriptNames(Dialect dialect) {
        try {
            return names(dialect).stream()
                    .filter(name -> name.endsWith(".sql"))
                    .sorted()
                    .toList();
        } catch (IOException | URISyntaxException e) {
            throw new IllegalStateException("cannot list the migration scripts of " + dialect, e);
        }
    }

    /** The names of the files in the dialect's migration folder, over every class-path root. */
    private static Set<String> names(Dialect dialect) throws IOException, URISyntaxException {
        String folder = dialect.migrationLocation().substring("classpath:".length());
        Set<String> names = new HashSet<>();
        ClassLoader loader = AppliedMigrations.class.getClassLoader();
        Enumeration<URL> roots = loader.getResources(folder);
        while (roots.hasMoreElements()) {
            URL root = roots.nextElement();
            URLConnection connection = root.openConnection();
            if (connection instanceof JarURLConnection jar) {
                connection.setUseCaches(false);
                try (JarFile file = jar.getJarFile()) {
                    for (Enumeration<JarEntry> e = file.entries(); e.hasMoreElements(); ) {
                        String name = e.nextElement().getName();
                        if (name.startsWith(folder + "/")) {
                            names.add(name.substring(folder.length() + 1));
                        }
                    }
                }
            } else if ("file".equals(root.getProtocol())) {
                try (Stream<Path> files = Files.list(Path.of(root.toURI()))) {
                    files.forEach(f -> names.add(f.getFileName().toString()));
                }
            } else {
                throw new IOException("cannot list migrations at " + root);
            }
        }
        return names;
    }

    /** Whether {@code fileName} names a versioned migration ({@code V<version>__<description>.sql}). */
    static boolean versioned(String fileName) {
        return VERSIONED.matcher(fileName).matches();
    }

    private static void addVersion(Set<String> versions, String fileName) {
        Matcher m = VERSIONED.matcher(fileName);
        if (m.matches()) {
            versions.add(m.group(1).replace('_', '.'));
        }
    }

    /** The versions Flyway has applied; an unfinished or failed one makes the answer unusable. */
    private static Set<String> applied(DataSource source) throws SQLException {
        Set<String> versions = new HashSet<>();
        try (Connection c = source.getConnection();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT version, success FROM flyway_schema_history")) {
            while (rs.next()) {
                String version = rs.getString(1);
                if (!rs.getBoolean(2)) {
                    return Set.of();
                }
                if (version != null) {
                    versions.add(version);
                }
            }
        }
        return versions;
    }
}
