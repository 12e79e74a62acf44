package dev.cairn.server.tracking;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.cairn.core.CairnException;
import dev.cairn.server.Services;
import dev.cairn.server.TestServers;
import dev.cairn.store.TestDatabases;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * Bytes through the request path of every tracking endpoint: decoding (JSON body, or query string
 * when the first byte's high bit is set) and the store call must only ever fail with a 4xx {@link
 * CairnException}. The first byte picks the endpoint. The corpus under test resources runs as a
 * regression test in every build; {@code JAZZER_FUZZ=1} fuzzes for real.
 */
class TrackingRequestFuzzTest {
    private static final List<TrackingEndpoint<?>> ENDPOINTS = TrackingEndpoints.all();

    private static Services services;

    @BeforeAll
    static void open() throws IOException {
        services = TestServers.services(TestDatabases.Kind.SQLITE, Files.createTempDirectory("cairn-fuzz-"));
    }

    @AfterAll
    static void close() {
        services.close();
    }

    @FuzzTest(maxDuration = "60s")
    void requestPathFailsOnlyWithClientErrors(byte[] input) throws IOException {
        if (input.length == 0) {
            return;
        }
        TrackingEndpoint<?> endpoint = ENDPOINTS.get((input[0] & 0x7f) % ENDPOINTS.size());
        boolean asQuery = (input[0] & 0x80) != 0;
        byte[] body = Arrays.copyOfRange(input, 1, input.length);
        try (JsonGenerator out = services.json().getFactory().createGenerator(OutputStream.nullOutputStream())) {
            Object request = asQuery
                    ? services.requests().query(queryParams(body), endpoint.requestType())
                    : services.requests().decode(body, endpoint.requestType());
            endpoint.run(services.tracking(), request, out);
        } catch (CairnException e) {
            assertThat(e.code().httpStatus())
                    .as(e.code() + ": " + e.getMessage())
                    .isBetween(400, 499);
        }
    }

    /** Splits {@code a=1&b=2&a=3} the way a web server would, without percent-decoding. */
    private static Map<String, List<String>> queryParams(byte[] bytes) {
        Map<String, List<String>> params = new LinkedHashMap<>();
        for (String pair : new String(bytes, StandardCharsets.UTF_8).split("&")) {
            int eq = pair.indexOf('=');
            String key = eq < 0 ? pair : pair.substring(0, eq);
            String value = eq < 0 ? "" : pair.substring(eq + 1);
            params.computeIfAbsent(key, k -> new java.util.ArrayList<>()).add(value);
        }
        return params;
    }
}
