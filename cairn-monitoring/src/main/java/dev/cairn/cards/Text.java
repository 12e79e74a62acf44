package dev.cairn.cards;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/** How numbers and times read on a card: at most four decimals, ISO-8601 UTC to the second. */
final class Text {
    private Text() {}

    static String number(double value) {
        if (Double.isNaN(value)) {
            return "n/a";
        }
        if (Double.isInfinite(value)) {
            return value > 0 ? "inf" : "-inf";
        }
        BigDecimal rounded = BigDecimal.valueOf(value).setScale(4, RoundingMode.HALF_EVEN);
        String text = rounded.stripTrailingZeros().toPlainString();
        return text.equals("-0") ? "0" : text;
    }

    static String time(Instant at) {
        return at.truncatedTo(ChronoUnit.SECONDS).toString();
    }

    static String time(long epochMillis) {
        return time(Instant.ofEpochMilli(epochMillis));
    }

    static String orNotRecorded(String value) {
        return value.isBlank() ? "not recorded" : value;
    }
}
