package dev.cairn.tracking;

import dev.cairn.core.CairnException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** MLflow's page token: base64 of {@code {"offset": N}}, so MLflow clients can pass it back as they got it. */
public final class PageToken {
    private static final Pattern OFFSET = Pattern.compile("^\\s*\\{\\s*\"offset\"\\s*:\\s*(\\d{1,9})\\s*}\\s*$");

    private PageToken() {}

    /** The token that resumes a listing at {@code offset}. */
    public static String encode(long offset) {
        return Base64.getEncoder().encodeToString(("{\"offset\": " + offset + "}").getBytes(StandardCharsets.UTF_8));
    }

    /** The offset a token resumes at; 0 for an absent or empty token. */
    public static int decode(Optional<String> token) {
        if (token.isEmpty() || token.get().isEmpty()) {
            return 0;
        }
        String json;
        try {
            json = new String(Base64.getDecoder().decode(token.get().strip()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw CairnException.invalid("Invalid page token, could not base64-decode: '" + token.get() + "'");
        }
        Matcher matcher = OFFSET.matcher(json);
        CairnException.requireArgument(
                matcher.matches(), "Invalid page token, expected {\"offset\": N} but got '" + json + "'");
        return Integer.parseInt(matcher.group(1));
    }

    /** Checks a {@code max_results} against its limit, with MLflow's messages. */
    public static int maxResults(int maxResults, int limit) {
        CairnException.requireArgument(
                maxResults > 0, "Invalid value for max_results. It must be a positive integer, but got " + maxResults);
        CairnException.requireArgument(
                maxResults <= limit,
                "Invalid value for max_results. It must be at most " + limit + ", but got value " + maxResults);
        return maxResults;
    }
}
