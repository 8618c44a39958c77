package io.mcpobservatory.export;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.mcpobservatory.bootstrap.Span;
import io.mcpobservatory.bootstrap.SpanAttributes;
import io.mcpobservatory.bootstrap.TraceParent;
import java.io.IOException;
import java.io.StringWriter;
import java.time.Instant;

/**
 * Text forms of span values, shared by exporters: W3C hex ids, ISO-8601 instants, durations in milliseconds, the
 * attributes object.
 */
public final class SpanFormat {

    private static final JsonFactory JSON = new JsonFactory();
    private static final String TOKENS_ESTIMATED = "tokens_estimated";
    private static final String LISTED_TOOLS = "listed_tools";
    private static final String SERVER_NAME = "server_name";
    private static final String SERVER_VERSION = "server_version";

    private SpanFormat() {
    }

    public static String traceId(Span span) {
        char[] out = new char[32];
        TraceParent.hex(span.traceIdHigh, out, 0);
        TraceParent.hex(span.traceIdLow, out, 16);
        return new String(out);
    }

    /** 16 hex digits, or null for the absent id 0 (a root span's parent). */
    public static String spanId(long id) {
        if (id == 0) {
            return null;
        }
        char[] out = new char[16];
        TraceParent.hex(id, out, 0);
        return new String(out);
    }

    /**
     * The instant as {@link Instant#toString()} writes it (ISO-8601 in UTC, a fraction of 3, 6 or 9 digits, none for a
     * whole second). The text up to the seconds is made once per second and reused: {@code Instant.toString} was a
     * sixth of the drainer's time per span in a profile of the loaded demo (it formats the date and time field by field).
     */
    public static String instant(long epochNanos) {
        long second = Math.floorDiv(epochNanos, 1_000_000_000L);
        int nano = (int) Math.floorMod(epochNanos, 1_000_000_000L);
        SecondText cached = lastSecond; // immutable, so a racy read sees a whole one
        if (cached == null || cached.second != second) {
            String whole = Instant.ofEpochSecond(second).toString();
            cached = new SecondText(second, whole.substring(0, whole.length() - 1)); // without the 'Z'
            lastSecond = cached;
        }
        if (nano == 0) {
            return cached.text + 'Z';
        }
        int digits;
        int fraction;
        if (nano % 1_000_000 == 0) {
            digits = 3;
            fraction = nano / 1_000_000;
        } else if (nano % 1_000 == 0) {
            digits = 6;
            fraction = nano / 1_000;
        } else {
            digits = 9;
            fraction = nano;
        }
        char[] out = new char[cached.text.length() + digits + 2];
        cached.text.getChars(0, cached.text.length(), out, 0);
        int at = cached.text.length();
        out[at] = '.';
        for (int i = at + digits; i > at; i--) {
            out[i] = (char) ('0' + fraction % 10);
            fraction /= 10;
        }
        out[out.length - 1] = 'Z';
        return new String(out);
    }

    /** One second's text up to the seconds, e.g. {@code 2026-12-02T18:06:13}. */
    private static final class SecondText {
        final long second;
        final String text;

        SecondText(long second, String text) {
            this.second = second;
            this.text = text;
        }
    }

    private static volatile SecondText lastSecond;

    /** A duration in milliseconds with microsecond precision. */
    public static double millis(long nanos) {
        return Math.round(nanos / 1_000.0) / 1_000.0;
    }

    /**
     * {@link #millis} as JSON number text, {@code 12.345} or {@code 5.0}: the same value as {@code Double.toString} of it
     * (which a profile of the drainer showed costly), in plain notation only, with the fraction's trailing zeros left out.
     */
    public static String millisText(long nanos) {
        long micros = Math.round(nanos / 1_000.0);
        long whole = Math.abs(micros / 1_000);
        int fraction = (int) Math.abs(micros % 1_000);
        StringBuilder out = new StringBuilder(24);
        if (micros < 0) {
            out.append('-');
        }
        out.append(whole).append('.');
        if (fraction == 0) {
            return out.append('0').toString();
        }
        out.append((char) ('0' + fraction / 100));
        if (fraction % 100 != 0) {
            out.append((char) ('0' + fraction / 10 % 10));
            if (fraction % 10 != 0) {
                out.append((char) ('0' + fraction % 10));
            }
        }
        return out.toString();
    }

    /**
     * The span's further attributes as a JSON object, or null when it has none: {@code tokens_estimated} (token counts
     * extrapolated past the cap, or an image of unknown size), {@code server_name} and {@code server_version} (client
     * spans: the server from its initialize result), then those the application set through the enrichment API (its
     * decision flags among them), with the types they were given. The agent's own keys win over the application's.
     */
    public static String attributes(Span span) {
        SpanAttributes custom = span.attributes;
        if (!span.tokensEstimated && span.serverName == null && span.serverVersion == null
                && span.listedTools == null && (custom == null || custom.size() == 0)) {
            return null;
        }
        StringWriter out = new StringWriter(64);
        try (JsonGenerator json = JSON.createGenerator(out)) {
            json.writeStartObject();
            if (span.tokensEstimated) {
                json.writeBooleanField(TOKENS_ESTIMATED, true);
            }
            if (span.serverName != null) {
                json.writeStringField(SERVER_NAME, span.serverName);
            }
            if (span.serverVersion != null) {
                json.writeStringField(SERVER_VERSION, span.serverVersion);
            }
            if (span.listedTools != null) {
                json.writeArrayFieldStart(LISTED_TOOLS);
                for (String name : span.listedTools) {
                    json.writeString(name);
                }
                json.writeEndArray();
            }
            if (custom != null) {
                writeCustom(json, custom);
            }
            json.writeEndObject();
        } catch (IOException e) {
            return null; // a StringWriter does not fail
        }
        return out.toString();
    }

    private static void writeCustom(JsonGenerator json, SpanAttributes custom) throws IOException {
        for (int i = 0, size = custom.size(); i < size; i++) {
            String key = custom.key(i);
            Object value = custom.value(i);
            if (key == null || value == null || key.equals(TOKENS_ESTIMATED) || key.equals(SERVER_NAME)
                    || key.equals(SERVER_VERSION) || key.equals(LISTED_TOOLS)) {
                continue; // a slot another thread was still writing, or a key of the agent's
            }
            json.writeFieldName(key);
            if (value instanceof String) {
                json.writeString((String) value);
            } else if (value instanceof Boolean) {
                json.writeBoolean((Boolean) value);
            } else if (value instanceof Long) {
                json.writeNumber((Long) value);
            } else {
                json.writeNumber((Double) value);
            }
        }
    }
}
