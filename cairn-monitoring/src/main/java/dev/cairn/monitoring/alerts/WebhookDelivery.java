package dev.cairn.monitoring.alerts;

/**
 * The outcome of one webhook delivery: sent (a 2xx answer), or refused before sending (host not
 * allowed, private address) or failed after {@code attempts} tries, with the reason.
 */
public record WebhookDelivery(String url, boolean delivered, int attempts, int status, String detail) {}
