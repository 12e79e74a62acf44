package dev.cairn.monitoring.alerts;

import dev.cairn.core.CairnException;
import java.time.Duration;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * How webhooks are sent: the HMAC-SHA256 {@code secret} the body is signed with; {@code allowedHosts},
 * the only host names (or IP literals) a webhook URL may name; {@code allowedPrivateAddresses}, the
 * loopback, private, link-local or multicast addresses (as {@code InetAddress#getHostAddress}, e.g.
 * {@code 127.0.0.1}) that may be reached anyway (none by default); at most {@code maxAttempts}
 * attempts per delivery (default 3), each with {@code timeout} (default 5 s).
 */
public record WebhookConfig(
        String secret,
        Set<String> allowedHosts,
        Set<String> allowedPrivateAddresses,
        int maxAttempts,
        Duration timeout) {
    public WebhookConfig {
        CairnException.requireArgument(
                secret != null && secret.length() >= 16, "webhook secret must have at least 16 characters");
        allowedHosts =
                allowedHosts.stream().map(h -> h.toLowerCase(Locale.ROOT)).collect(Collectors.toUnmodifiableSet());
        allowedPrivateAddresses = Set.copyOf(allowedPrivateAddresses);
        CairnException.requireArgument(
                maxAttempts >= 1 && maxAttempts <= 10, "maxAttempts must be in [1, 10]; got " + maxAttempts);
        CairnException.requireArgument(
                !timeout.isNegative() && !timeout.isZero(), "timeout must be positive; got " + timeout);
    }

    /** Hosts allowed, public addresses only, 3 attempts of 5 s. */
    public static WebhookConfig of(String secret, Set<String> allowedHosts) {
        return new WebhookConfig(secret, allowedHosts, Set.of(), 3, Duration.ofSeconds(5));
    }

    public WebhookConfig withAllowedPrivateAddresses(Set<String> addresses) {
        return new WebhookConfig(secret, allowedHosts, addresses, maxAttempts, timeout);
    }
}
