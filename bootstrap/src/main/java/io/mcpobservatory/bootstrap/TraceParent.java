package io.mcpobservatory.bootstrap;

import java.lang.reflect.Constructor;
import java.lang.reflect.RecordComponent;
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
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    /** Canonical constructor and the index of the {@code meta} component, per request record class; null if none. */
    private static final ClassValue<Object[]> RECORD_META = new ClassValue<>() {
        @Override
        protected Object[] computeValue(Class<?> type) {
            return recordMeta(type);
        }
    };

    private TraceParent() {
    }

    /** {@code 00-<trace id>-<span id>-01}: version 00, sampled (every span is recorded). */
    public static String format(TraceContext span) {
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
        out[54] = '1';
        return new String(out);
    }

    /**
     * Joins {@code span} to the trace a {@code traceparent} names: same trace id, the sender's span as parent. Returns
     * false, changing nothing, for anything that is not a valid version-00 value (all-zero ids are invalid too).
     */
    public static boolean join(TraceContext span, Object value) {
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
            parse(text, 53, 2); // flags must be hex too
            if ((high == 0 && low == 0) || parent == 0) {
                return false;
            }
            span.traceIdHigh = high;
            span.traceIdLow = low;
            span.parentSpanId = parent;
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
        Object meta = params instanceof Map ? ((Map<?, ?>) params).get(META) : Accessors.call(params, "meta");
        return meta instanceof Map ? ((Map<?, ?>) meta).get(KEY) : null;
    }

    /**
     * {@code params} with {@code traceparent} in its {@code _meta}, as a new object: the caller's object is never changed,
     * and any {@code _meta} it set is kept. Maps are copied; request records are rebuilt through their canonical
     * constructor with a new {@code meta} map; null becomes {@code {"_meta": {...}}}. Any other object, or a failure,
     * returns {@code params} as it was (the request then goes without trace context).
     */
    public static Object inject(Object params, TraceContext span) {
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
            Object[] record = RECORD_META.get(params.getClass());
            if (record == null) {
                return params;
            }
            RecordComponent[] components = params.getClass().getRecordComponents();
            Object[] values = new Object[components.length];
            for (int i = 0; i < components.length; i++) {
                values[i] = components[i].getAccessor().invoke(params);
            }
            int metaIndex = (Integer) record[1];
            values[metaIndex] = meta(values[metaIndex], span);
            return ((Constructor<?>) record[0]).newInstance(values);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return params;
        }
    }

    private static Map<String, Object> meta(Object existing, TraceContext span) {
        Map<String, Object> meta = new LinkedHashMap<>();
        if (existing instanceof Map) {
            for (Map.Entry<?, ?> entry : ((Map<?, ?>) existing).entrySet()) {
                meta.put(String.valueOf(entry.getKey()), entry.getValue());
            }
        }
        meta.put(KEY, format(span));
        return meta;
    }

    private static Object[] recordMeta(Class<?> type) {
        if (!type.isRecord()) {
            return null;
        }
        RecordComponent[] components = type.getRecordComponents();
        Class<?>[] types = new Class<?>[components.length];
        int metaIndex = -1;
        for (int i = 0; i < components.length; i++) {
            types[i] = components[i].getType();
            if (components[i].getName().equals("meta") && types[i] == Map.class) {
                metaIndex = i;
            }
            components[i].getAccessor().setAccessible(true);
        }
        if (metaIndex < 0) {
            return null;
        }
        try {
            Constructor<?> canonical = type.getDeclaredConstructor(types);
            canonical.setAccessible(true);
            return new Object[] {canonical, metaIndex};
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }

    private static void hex(long value, char[] out, int offset) {
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
