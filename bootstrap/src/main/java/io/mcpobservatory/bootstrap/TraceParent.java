package io.mcpobservatory.bootstrap;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * W3C trace context in MCP's {@code params._meta} (the spec reserves {@code traceparent}, {@code tracestate} and
 * {@code baggage} there): written into every request a traced client sends, read from every request a traced server
 * receives. A malformed {@code traceparent} is ignored (a new trace starts), never an error.
 */
public final class TraceParent {

    public static final String META = "_meta";
    public static final String KEY = "traceparent";
    /** The {@code meta} component of the SDK's request records (their {@code _meta}). */
    private static final Accessor META_COMPONENT = Accessor.named("meta");
    /** The SDK's message records: {@code McpSchema}'s nested types. */
    private static final String SCHEMA_RECORD = "io.modelcontextprotocol.spec.McpSchema$";
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private TraceParent() {
    }

    /** {@code 00-<trace id>-<span id>-0x}: version 00, the {@code sampled} flag as {@link TraceSampling} decides. */
    public static String format(Span span) {
        char[] out = new char[55];
        out[0] = '0';
        out[1] = '0';
        out[2] = '-';
        hex(span.traceIdHigh, out, 3);
        hex(span.traceIdLow, out, 19);
        out[35] = '-';
        hex(span.spanId, out, 36);
        out[52] = '-';
        out[53] = '0';
        out[54] = TraceSampling.sampled(span) ? '1' : '0';
        return new String(out);
    }

    /**
     * Joins {@code span} to the trace a {@code traceparent} names: same trace id, the sender's span as parent. Returns
     * false, changing nothing, for anything that is not a valid version-00 value (all-zero ids are invalid too).
     */
    public static boolean join(Span span, Object value) {
        if (!(value instanceof String)) {
            return false;
        }
        String text = ((String) value).trim();
        if (text.length() != 55 || text.charAt(2) != '-' || text.charAt(35) != '-' || text.charAt(52) != '-'
                || !text.startsWith("00")) {
            return false;
        }
        try {
            long high = parse(text, 3);
            long low = parse(text, 19);
            long parent = parse(text, 36);
            long flags = parse(text, 53, 2);
            if ((high == 0 && low == 0) || parent == 0) {
                return false;
            }
            span.traceIdHigh = high;
            span.traceIdLow = low;
            span.parentSpanId = parent;
            span.callerSampled = (flags & 1) == 1; // the caller's sampling decision, honoured (TraceSampling)
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /** The {@code traceparent} in {@code params._meta} (a map, or a request record's {@code meta()}), or null. */
    public static Object find(Object params) {
        if (params == null) {
            return null;
        }
        Object meta = params instanceof Map ? ((Map<?, ?>) params).get(META) : META_COMPONENT.call(params);
        return meta instanceof Map ? ((Map<?, ?>) meta).get(KEY) : null;
    }

    /**
     * {@code params} with {@code traceparent} in its {@code _meta}, as a new object: the caller's object is never changed,
     * and any {@code _meta} it set is kept. Maps are copied; request records are rebuilt through their canonical
     * constructor with a new {@code meta} map; an SDK schema record without one becomes a map of its JSON fields plus
     * {@code _meta} (the same JSON on the wire, and the receiver's records ignore unknown fields); null becomes
     * {@code {"_meta": {...}}}. Any other object, or a failure, returns {@code params} as it was (the request then goes
     * without trace context).
     */
    public static Object inject(Object params, Span span) {
        try {
            if (params == null) {
                Map<String, Object> copy = new LinkedHashMap<>();
                copy.put(META, meta(null, span));
                return copy;
            }
            if (params instanceof Map) {
                Map<Object, Object> copy = new LinkedHashMap<>((Map<?, ?>) params);
                copy.put(META, meta(copy.get(META), span));
                return copy;
            }
            Records record = Records.shapeOf(params);
            if (record == null) {
                return params;
            }
            int meta = record.index("meta", Map.class);
            if (meta >= 0) {
                return record.with(params, meta, meta(record.get(params, meta), span));
            }
            if (!params.getClass().getName().startsWith(SCHEMA_RECORD)) {
                return params;
            }
            // an SDK request record without a meta component (logging/setLevel's SetLevelRequest, in every release):
            // sent as the JSON object it stands for, plus _meta, which MCP allows in every request's params
            Map<String, Object> copy = record.asJsonObject(params);
            copy.put(META, meta(null, span));
            return copy;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return params;
        }
    }

    /** The {@code _meta} map of params {@link #inject} made (ours, so it may be changed until the request is sent). */
    @SuppressWarnings("unchecked")
    static Map<String, Object> metaOf(Object injected) {
        Object meta = injected instanceof Map ? ((Map<?, ?>) injected).get(META) : META_COMPONENT.call(injected);
        return meta instanceof LinkedHashMap ? (Map<String, Object>) meta : null;
    }

    /** A copy of the {@code _meta} entries {@code existing} (a map, or none) with the span's {@code traceparent}. */
    static Map<String, Object> meta(Object existing, Span span) {
        return meta(existing, span, new LinkedHashMap<>());
    }

    /** The same, into {@code meta} (a new, empty map). */
    static <M extends Map<String, Object>> M meta(Object existing, Span span, M meta) {
        if (existing instanceof Map) {
            for (Map.Entry<?, ?> entry : ((Map<?, ?>) existing).entrySet()) {
                meta.put(String.valueOf(entry.getKey()), entry.getValue());
            }
        }
        meta.put(KEY, format(span));
        return meta;
    }

    /** The 16 lower-case hex digits of {@code value} into {@code out} at {@code offset}: W3C id text (exporters too). */
    public static void hex(long value, char[] out, int offset) {
        for (int i = 15; i >= 0; i--) {
            out[offset + i] = HEX[(int) (value & 0xF)];
            value >>>= 4;
        }
    }

    private static long parse(String text, int offset) {
        return parse(text, offset, 16);
    }

    /** Lower-case hex only, as the W3C format requires; Long.parseUnsignedLong would also accept '+' and upper case. */
    private static long parse(String text, int offset, int digits) {
        long value = 0;
        for (int i = offset; i < offset + digits; i++) {
            char c = text.charAt(i);
            int digit = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
            if (digit < 0) {
                throw new NumberFormatException(text);
            }
            value = value << 4 | digit;
        }
        return value;
    }
}
