package io.mcpobservatory.bootstrap;

/**
 * The attributes the application gave a span through the enrichment API ({@link Enrichment}): at most
 * {@link #MAX_ENTRIES} keys, each with a String, Boolean, Long or Double value, kept as they came (JSON is written by the
 * exporters, on the drainer). Setting a key again replaces its value; keys past the bound are ignored, so a span's memory
 * stays bounded whatever the application does.
 *
 * <p>Not synchronized, like the span's other fields: the writer is the code of the request, the reader the drainer after
 * the span's hand-off. Two application threads writing the same span at once may lose a value, never break the store:
 * every index is checked against the array it is used on, and readers skip a slot whose key is not there yet.
 */
public final class SpanAttributes {

    /** Most keys a span keeps; the rest are ignored. */
    public static final int MAX_ENTRIES = 32;

    /** Keys at even indexes, their values right after; grown by doubling from four pairs to {@link #MAX_ENTRIES}. */
    private Object[] entries = new Object[8];
    private int size;

    /** Sets {@code key} (already cut and non-empty) to {@code value} (String already cut, Boolean, Long or Double). */
    void put(String key, Object value) {
        Object[] current = entries;
        int count = Math.min(size, current.length / 2);
        for (int i = 0; i < count; i++) {
            if (key.equals(current[2 * i])) {
                current[2 * i + 1] = value;
                return;
            }
        }
        if (count == MAX_ENTRIES) {
            return;
        }
        if (2 * count == current.length) {
            current = java.util.Arrays.copyOf(current, current.length * 2);
            entries = current;
        }
        current[2 * count + 1] = value;
        current[2 * count] = key;
        size = count + 1;
    }

    public int size() {
        return Math.min(size, entries.length / 2);
    }

    /** The key at {@code index} (below {@link #size}); null if another thread is still writing it. */
    public String key(int index) {
        Object[] current = entries;
        return 2 * index < current.length ? (String) current[2 * index] : null;
    }

    public Object value(int index) {
        Object[] current = entries;
        return 2 * index + 1 < current.length ? current[2 * index + 1] : null;
    }

    /** A conservative estimate of the heap held, for the pipeline's bound in bytes (as {@link Span#estimatedBytes}). */
    long estimatedBytes() {
        long bytes = 32 + 16 + 4L * entries.length;
        int count = size();
        for (int i = 0; i < count; i++) {
            bytes += text(key(i));
            Object value = value(i);
            bytes += value instanceof String ? text((String) value) : 16;
        }
        return bytes;
    }

    private static long text(String value) {
        return value == null ? 0 : 48 + 2L * value.length();
    }
}
