package dev.cairn.server;

import dev.cairn.core.CairnException;
import dev.cairn.serving.ServingConfig;
import java.nio.file.Path;
import java.util.Objects;

/**
 * How a Cairn server listens and where it keeps its data; built with {@link #builder()}, every
 * option has a default.
 *
 * @param host interface to bind, default {@code 127.0.0.1}
 * @param port TCP port, default {@code 5000}; {@code 0} picks any free port
 * @param storeUrl metadata store, default {@code sqlite://$CAIRN_HOME/cairn.db}
 * @param artifactsRoot artifact directory, default {@code $CAIRN_HOME/artifacts}
 * @param maxJsonBodyBytes largest JSON request body accepted, default 16 MiB
 * @param maxUploadBytes largest streamed upload (artifacts) accepted, default 5 GiB
 * @param serving how models are served and their predictions logged, default {@link ServingConfig#defaults()}
 */
public record ServerConfig(
        String host,
        int port,
        String storeUrl,
        Path artifactsRoot,
        long maxJsonBodyBytes,
        long maxUploadBytes,
        ServingConfig serving) {
    public static final String DEFAULT_HOST = "127.0.0.1";
    public static final int DEFAULT_PORT = 5000;
    public static final long DEFAULT_MAX_JSON_BODY_BYTES = 16L * 1024 * 1024;
    public static final long DEFAULT_MAX_UPLOAD_BYTES = 5L * 1024 * 1024 * 1024;

    public ServerConfig {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(storeUrl, "storeUrl");
        Objects.requireNonNull(artifactsRoot, "artifactsRoot");
        Objects.requireNonNull(serving, "serving");
        CairnException.requireArgument(!host.isBlank(), "host must not be blank");
        CairnException.requireArgument(port >= 0 && port <= 65535, "port must be in 0..65535, got " + port);
        CairnException.requireArgument(!storeUrl.isBlank(), "storeUrl must not be blank");
        CairnException.requireArgument(
                maxJsonBodyBytes > 0, "maxJsonBodyBytes must be positive, got " + maxJsonBodyBytes);
        CairnException.requireArgument(maxUploadBytes > 0, "maxUploadBytes must be positive, got " + maxUploadBytes);
    }

    /** A builder with every default filled in from {@code $CAIRN_HOME} (or {@code ~/.cairn}). */
    public static Builder builder() {
        return new Builder(cairnHome());
    }

    /** The Cairn home: {@code $CAIRN_HOME}, else {@code ~/.cairn}. */
    public static Path cairnHome() {
        String env = System.getenv("CAIRN_HOME");
        if (env != null && !env.isBlank()) {
            return Path.of(env).toAbsolutePath();
        }
        return Path.of(System.getProperty("user.home"), ".cairn").toAbsolutePath();
    }

    /** Builds a {@link ServerConfig}; unset options keep their documented defaults. */
    public static final class Builder {
        private String host = DEFAULT_HOST;
        private int port = DEFAULT_PORT;
        private String storeUrl;
        private Path artifactsRoot;
        private long maxJsonBodyBytes = DEFAULT_MAX_JSON_BODY_BYTES;
        private long maxUploadBytes = DEFAULT_MAX_UPLOAD_BYTES;
        private ServingConfig serving = ServingConfig.defaults();

        private Builder(Path home) {
            home(home);
        }

        /** Places the default store and artifacts under {@code home}; call it before {@link #storeUrl} or {@link #artifactsRoot}. */
        public Builder home(Path home) {
            this.storeUrl = "sqlite://" + home.resolve("cairn.db").toAbsolutePath();
            this.artifactsRoot = home.resolve("artifacts").toAbsolutePath();
            return this;
        }

        public Builder host(String host) {
            this.host = host;
            return this;
        }

        public Builder port(int port) {
            this.port = port;
            return this;
        }

        public Builder storeUrl(String storeUrl) {
            this.storeUrl = storeUrl;
            return this;
        }

        public Builder artifactsRoot(Path artifactsRoot) {
            this.artifactsRoot = artifactsRoot;
            return this;
        }

        public Builder maxJsonBodyBytes(long maxJsonBodyBytes) {
            this.maxJsonBodyBytes = maxJsonBodyBytes;
            return this;
        }

        public Builder maxUploadBytes(long maxUploadBytes) {
            this.maxUploadBytes = maxUploadBytes;
            return this;
        }

        public Builder serving(ServingConfig serving) {
            this.serving = serving;
            return this;
        }

        public ServerConfig build() {
            return new ServerConfig(host, port, storeUrl, artifactsRoot, maxJsonBodyBytes, maxUploadBytes, serving);
        }
    }
}
