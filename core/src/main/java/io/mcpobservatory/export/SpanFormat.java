package io.mcpobservatory.export;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.mcpobservatory.bootstrap.Span;
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

    public static String instant(long epochNanos) {
        return Instant.ofEpochSecond(Math.floorDiv(epochNanos, 1_000_000_000L), Math.floorMod(epochNanos, 1_000_000_000L))
                .toString();
    }

    /** A duration in milliseconds with microsecond precision. */
    public static double millis(long nanos) {
        return Math.round(nanos / 1_000.0) / 1_000.0;
    }

    /**
     * The span's further attributes as a JSON object, or null when it has none: {@code tokens_estimated} (token counts
     * extrapolated past the cap, or an image of unknown size), {@code server_name} and {@code server_version} (client
     * spans: the server from its initialize result).
     */
    public static String attributes(Span span) {
        if (!span.tokensEstimated && span.serverName == null && span.serverVersion == null) {
            return null;
        }
        StringWriter out = new StringWriter(64);
        try (JsonGenerator json = JSON.createGenerator(out)) {
            json.writeStartObject();
            if (span.tokensEstimated) {
                json.writeBooleanField("tokens_estimated", true);
            }
            if (span.serverName != null) {
                json.writeStringField("server_name", span.serverName);
            }
            if (span.serverVersion != null) {
                json.writeStringField("server_version", span.serverVersion);
            }
            json.writeEndObject();
        } catch (IOException e) {
            return null; // a StringWriter does not fail
        }
        return out.toString();
    }
}
