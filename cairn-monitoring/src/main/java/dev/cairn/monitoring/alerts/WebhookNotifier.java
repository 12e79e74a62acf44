package dev.cairn.monitoring.alerts;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Posts alert state changes as JSON to webhook URLs, signed with HMAC-SHA256 over the raw body in
 * {@code X-Cairn-Signature: sha256=<hex>}. A receiver verifies by computing
 * {@code HMAC-SHA256(secret, body bytes)} as lower-case hex and comparing it, in constant time, with
 * the header after {@code sha256=}. A URL is sent to only when its host is allowed and every address
 * it resolves to is public, or listed in {@link WebhookConfig#allowedPrivateAddresses}; redirects are
 * not followed. Deliveries run on a thread of their own with bounded retries.
 */
public final class WebhookNotifier implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(WebhookNotifier.class);
    public static final String SIGNATURE_HEADER = "X-Cairn-Signature";

    private final WebhookConfig config;
    private final ObjectMapper json;
    private final HttpClient client;
    private final ExecutorService sender = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "cairn-webhooks");
        t.setDaemon(true);
        return t;
    });

    public WebhookNotifier(WebhookConfig config, ObjectMapper json) {
        this.config = config;
        this.json = json;
        this.client = HttpClient.newBuilder()
                .connectTimeout(config.timeout())
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    /** Sends {@code alert} to every URL, off the caller's thread; the future completes when all are done. */
    public CompletableFuture<List<WebhookDelivery>> send(Alert alert, String deployment, List<String> urls) {
        byte[] body = payload(alert, deployment);
        return CompletableFuture.supplyAsync(
                () -> {
                    List<WebhookDelivery> out = new ArrayList<>();
                    for (String url : urls) {
                        WebhookDelivery d = deliver(url, body);
                        if (!d.delivered()) {
                            LOG.warn("webhook {} for alert {} not delivered: {}", url, alert.id(), d.detail());
                        }
                        out.add(d);
                    }
                    return out;
                },
                sender);
    }

    /** {@code sha256=<hex>} of HMAC-SHA256 over {@code body} with {@code secret}. */
    public static String signature(String secret, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return "sha256=" + HexFormat.of().formatHex(mac.doFinal(body));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }

    private WebhookDelivery deliver(String url, byte[] body) {
        URI uri;
        try {
            uri = URI.create(url);
        } catch (IllegalArgumentException e) {
            return new WebhookDelivery(url, false, 0, 0, "not a URL: " + e.getMessage());
        }
        String refusal = refusal(uri);
        if (!refusal.isEmpty()) {
            return new WebhookDelivery(url, false, 0, 0, refusal);
        }
        HttpRequest request = HttpRequest.newBuilder(uri)
                .timeout(config.timeout())
                .header("Content-Type", "application/json")
                .header(SIGNATURE_HEADER, signature(config.secret(), body))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build();
        String detail = "";
        int status = 0;
        for (int attempt = 1; attempt <= config.maxAttempts(); attempt++) {
            try {
                status = client.send(request, HttpResponse.BodyHandlers.discarding())
                        .statusCode();
                if (status / 100 == 2) {
                    return new WebhookDelivery(url, true, attempt, status, "");
                }
                detail = "HTTP " + status;
                if (status / 100 == 4 && status != 429) {
                    return new WebhookDelivery(url, false, attempt, status, detail);
                }
            } catch (IOException e) {
                detail = e.toString();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return new WebhookDelivery(url, false, attempt, status, "interrupted");
            }
            if (attempt < config.maxAttempts() && !pause(250L * attempt)) {
                return new WebhookDelivery(url, false, attempt, status, "interrupted");
            }
        }
        return new WebhookDelivery(url, false, config.maxAttempts(), status, detail);
    }

    /** Why {@code uri} may not be sent to, or empty when it may. */
    String refusal(URI uri) {
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            return "scheme must be http or https; got '" + scheme + "'";
        }
        String host = uri.getHost() == null ? "" : uri.getHost().toLowerCase(Locale.ROOT);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        if (!config.allowedHosts().contains(host)) {
            return "host '" + host + "' is not in the webhook allowlist";
        }
        InetAddress[] addresses;
        try {
            addresses = InetAddress.getAllByName(host);
        } catch (UnknownHostException e) {
            return "host '" + host + "' does not resolve";
        }
        for (InetAddress a : addresses) {
            if (isPrivate(a) && !config.allowedPrivateAddresses().contains(a.getHostAddress())) {
                return "host '" + host + "' resolves to non-public address " + a.getHostAddress();
            }
        }
        return "";
    }

    /** Loopback, unspecified, private (RFC 1918, IPv6 unique-local), link-local, multicast or CGNAT. */
    static boolean isPrivate(InetAddress a) {
        if (a.isLoopbackAddress()
                || a.isAnyLocalAddress()
                || a.isSiteLocalAddress()
                || a.isLinkLocalAddress()
                || a.isMulticastAddress()) {
            return true;
        }
        byte[] b = a.getAddress();
        if (a instanceof Inet6Address) {
            return (b[0] & 0xfe) == 0xfc; // fc00::/7 unique local
        }
        return (b[0] & 0xff) == 100 && (b[1] & 0xc0) == 64 // 100.64.0.0/10 carrier-grade NAT
                || (b[0] & 0xff) == 0; // 0.0.0.0/8
    }

    private byte[] payload(Alert alert, String deployment) {
        ObjectNode out = json.createObjectNode()
                .put("alert_id", alert.id())
                .put("monitor", alert.monitor())
                .put("rule", alert.rule())
                .put("state", alert.state().name().toLowerCase(Locale.ROOT))
                .put("deployment", deployment)
                .put("value", alert.value())
                .put("message", alert.message())
                .put("fired_at", alert.firedAt().toEpochMilli());
        alert.resolvedAt().ifPresent(t -> out.put("resolved_at", t.toEpochMilli()));
        try {
            return json.writeValueAsBytes(out);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("an ObjectNode always serializes", e);
        }
    }

    private static boolean pause(long millis) {
        try {
            Thread.sleep(millis);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    @Override
    public void close() {
        sender.shutdown();
        try {
            sender.awaitTermination(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
