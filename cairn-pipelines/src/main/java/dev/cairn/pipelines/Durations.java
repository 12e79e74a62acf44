package dev.cairn.pipelines;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the durations people write in pipeline files and on the command line: {@code 250ms},
 * {@code 90s}, {@code 30m}, {@code 1h30m}, {@code 2d}, or ISO-8601 ({@code PT2H}).
 */
public final class Durations {
    // At most nine digits a part: no sum of parts overflows a Duration, whatever the unit.
    private static final Pattern PART = Pattern.compile("(\\d{1,9})(ms|s|m|h|d)");

    private Durations() {}

    /** The duration {@code text} spells, or empty when it spells none. */
    public static Optional<Duration> parse(String text) {
        String trimmed = text.strip().toLowerCase(Locale.ROOT);
        if (trimmed.startsWith("pt")) {
            try {
                return Optional.of(Duration.parse(trimmed));
            } catch (DateTimeParseException | ArithmeticException e) {
                return Optional.empty();
            }
        }
        Matcher m = PART.matcher(trimmed);
        Duration total = Duration.ZERO;
        int end = 0;
        while (m.find() && m.start() == end) {
            long n = Long.parseLong(m.group(1));
            total = total.plus(
                    switch (m.group(2)) {
                        case "ms" -> Duration.ofMillis(n);
                        case "s" -> Duration.ofSeconds(n);
                        case "m" -> Duration.ofMinutes(n);
                        case "h" -> Duration.ofHours(n);
                        default -> Duration.ofDays(n);
                    });
            end = m.end();
        }
        return end > 0 && end == trimmed.length() ? Optional.of(total) : Optional.empty();
    }
}
