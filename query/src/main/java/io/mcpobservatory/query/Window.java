package io.mcpobservatory.query;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A time window [from, to) over span start times. Written as a duration back from now ({@code 15m}, {@code 1h},
 * {@code 24h}, {@code 7d}) or as an ISO-8601 instant to start from. Bounded: at least one second, at most
 * {@link #MAX} (a question over a longer span of time is refused, not slowly answered).
 */
public final class Window {

    /** The longest window a query takes. */
    public static final Duration MAX = Duration.ofDays(90);
    private static final Pattern DURATION = Pattern.compile("(\\d{1,6})\\s*(ms|s|m|h|d|w)");

    public final Instant from;
    public final Instant to;
    /** As the caller wrote it, or the duration it stands for. */
    public final String label;

    private Window(Instant from, Instant to, String label) {
        this.from = from;
        this.to = to;
        this.label = label;
    }

    public static Window last(Duration duration, Instant now) {
        return new Window(now.minus(duration), now, format(duration));
    }

    public static Window between(Instant from, Instant to) {
        if (!from.isBefore(to)) {
            throw new QueryException("the window is empty: " + from + " is not before " + to);
        }
        if (Duration.between(from, to).compareTo(MAX) > 0) {
            throw new QueryException("the window is longer than the " + MAX.toDays() + " days a query may cover");
        }
        return new Window(from, to, from + " .. " + to);
    }

    /** {@code since} as a duration back from {@code now} ("1h") or an instant ("2026-12-01T00:00:00Z"). */
    public static Window parse(String since, Instant now) {
        if (since == null || since.isBlank()) {
            throw new QueryException("a window is needed, e.g. 15m, 1h, 24h or 7d");
        }
        String text = since.trim().toLowerCase(Locale.ROOT);
        Duration d = duration(text);
        if (d != null) {
            if (d.isZero()) {
                throw new QueryException("the window '" + since + "' is empty: give at least 1s");
            }
            if (d.compareTo(MAX) > 0) {
                throw new QueryException("the window '" + since + "' is longer than the " + MAX.toDays()
                        + " days a query may cover");
            }
            return new Window(now.minus(d), now, text.replace(" ", ""));
        }
        try {
            Instant from = Instant.parse(since.trim());
            if (!from.isBefore(now)) {
                throw new QueryException("the window starts at " + from + ", which is not in the past");
            }
            if (Duration.between(from, now).compareTo(MAX) > 0) {
                throw new QueryException("the window from " + from + " is longer than the " + MAX.toDays()
                        + " days a query may cover");
            }
            return new Window(from, now, "since " + from);
        } catch (DateTimeParseException e) {
            throw new QueryException("bad window '" + since + "': write a duration such as 15m, 1h, 24h or 7d, "
                    + "or an ISO-8601 instant such as 2026-12-01T00:00:00Z");
        }
    }

    /** {@code 15m}, {@code 2h}, {@code 500ms}... as a duration; null when the text is no such duration. */
    public static Duration duration(String text) {
        Matcher m = DURATION.matcher(text.trim().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            return null;
        }
        long n = Long.parseLong(m.group(1));
        switch (m.group(2)) {
            case "ms": return Duration.ofMillis(n);
            case "s": return Duration.ofSeconds(n);
            case "m": return Duration.ofMinutes(n);
            case "h": return Duration.ofHours(n);
            case "d": return Duration.ofDays(n);
            default: return Duration.ofDays(7 * n);
        }
    }

    public Duration length() {
        return Duration.between(from, to);
    }

    static String format(Duration d) {
        long s = d.getSeconds();
        if (s % 86_400 == 0) {
            return s / 86_400 + "d";
        }
        if (s % 3_600 == 0) {
            return s / 3_600 + "h";
        }
        if (s % 60 == 0) {
            return s / 60 + "m";
        }
        return s + "s";
    }

    @Override
    public String toString() {
        return label;
    }
}
