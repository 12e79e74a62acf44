package dev.cairn.monitoring.alerts;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class WebhookNotifierTest {
    static final String SECRET = "a-webhook-secret-of-enough-length";
    static final Alert ALERT =
            new Alert("a1", "m", "drift", Alert.State.FIRING, 0.8, "drift", Instant.EPOCH, Optional.empty());

    @Test
    void privateAddressesAreRefusedWithoutSendingUnlessAllowedExactly() throws Exception {
        AtomicInteger hits = new AtomicInteger();
        HttpServer receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/", exchange -> {
            hits.incrementAndGet();
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        receiver.start();
        String loopback = "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook";
        try (WebhookNotifier hostOnly = new WebhookNotifier(
                        WebhookConfig.of(SECRET, Set.of("127.0.0.1", "10.1.2.3")), new ObjectMapper());
                WebhookNotifier allowed = new WebhookNotifier(
                        WebhookConfig.of(SECRET, Set.of("127.0.0.1")).withAllowedPrivateAddresses(Set.of("127.0.0.1")),
                        new ObjectMapper())) {
            List<WebhookDelivery> refused = hostOnly.send(
                            ALERT, "d", List.of(loopback, "http://10.1.2.3/x", "http://example.org/x"))
                    .get(30, TimeUnit.SECONDS);
            assertThat(refused).noneMatch(WebhookDelivery::delivered).allMatch(d -> d.attempts() == 0);
            assertThat(refused.get(0).detail()).contains("non-public address 127.0.0.1");
            assertThat(refused.get(2).detail()).contains("not in the webhook allowlist");
            assertThat(hits).hasValue(0);
            assertThat(hostOnly.refusal(URI.create("file:///etc/passwd"))).contains("scheme");

            List<WebhookDelivery> sent =
                    allowed.send(ALERT, "d", List.of(loopback)).get(30, TimeUnit.SECONDS);
            assertThat(sent.get(0).delivered()).isTrue();
            assertThat(hits).hasValue(1);
        } finally {
            receiver.stop(0);
        }
    }

    @Test
    void privateRangesAreRecognized() throws Exception {
        for (String a : List.of(
                "127.0.0.1",
                "10.0.0.1",
                "172.16.0.1",
                "192.168.1.1",
                "169.254.169.254",
                "224.0.0.1",
                "100.64.0.1",
                "0.0.0.0",
                "::1",
                "fd00::1",
                "fe80::1")) {
            assertThat(WebhookNotifier.isPrivate(InetAddress.getByName(a)))
                    .as(a)
                    .isTrue();
        }
        assertThat(WebhookNotifier.isPrivate(InetAddress.getByName("93.184.216.34")))
                .isFalse();
    }
}
