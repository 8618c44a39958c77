package io.mcpobservatory.export.otlp;

import java.util.Arrays;
import java.util.Map;

/**
 * The few protobuf wire-format writes the OTLP messages need, into one growable array that is reused from request to
 * request (no allocation per span once it has grown). A nested message is written in place: {@link #begin} reserves one
 * byte for its length, {@link #end} writes the length there and, for a message of 128 bytes or more, moves the message
 * right by the extra bytes of its length (a span is a few hundred bytes: one short copy), so every length is in the
 * canonical shortest form that every decoder accepts.
 */
final class ProtoWriter {

    private static final int VARINT = 0;
    private static final int FIXED64 = 1;
    private static final int LENGTH_DELIMITED = 2;

    private byte[] buffer;
    private int size;

    ProtoWriter(int initialCapacity) {
        buffer = new byte[Math.max(64, initialCapacity)];
    }

    void reset() {
        size = 0;
    }

    int size() {
        return size;
    }

    byte[] buffer() {
        return buffer;
    }

    byte[] toByteArray() {
        return Arrays.copyOf(buffer, size);
    }

    /** Starts nested message {@code field}; returns the position to hand to {@link #end}. */
    int begin(int field) {
        tag(field, LENGTH_DELIMITED);
        ensure(1);
        return size++;
    }

    void end(int lengthAt) {
        int length = size - lengthAt - 1;
        int extra = varintSize(length) - 1;
        if (extra > 0) {
            ensure(extra);
            System.arraycopy(buffer, lengthAt + 1, buffer, lengthAt + 1 + extra, length);
            size += extra;
        }
        int at = lengthAt;
        long value = length;
        while (value >= 0x80) {
            buffer[at++] = (byte) (value | 0x80);
            value >>>= 7;
        }
        buffer[at] = (byte) value;
    }

    /** A string field; nothing for null (proto3: absent and empty read the same). */
    void string(int field, String value) {
        if (value == null || value.isEmpty()) {
            return;
        }
        tag(field, LENGTH_DELIMITED);
        int utf8 = utf8Length(value);
        varint(utf8);
        ensure(utf8);
        writeUtf8(value);
    }

    /** {@code bytes} field of a big-endian id: 16 bytes for a trace id, 8 for a span id. */
    void id(int field, long high, long low, boolean sixteen) {
        tag(field, LENGTH_DELIMITED);
        varint(sixteen ? 16 : 8);
        ensure(16);
        if (sixteen) {
            bigEndian(high);
        }
        bigEndian(low);
    }

    void fixed64(int field, long value) {
        tag(field, FIXED64);
        ensure(8);
        for (int i = 0; i < 8; i++) {
            buffer[size++] = (byte) (value >>> (8 * i));
        }
    }

    void doubleValue(int field, double value) {
        fixed64(field, Double.doubleToRawLongBits(value));
    }

    /** An int64, uint32, enum or bool field (negative numbers take ten bytes, as protobuf writes them). */
    void int64(int field, long value) {
        tag(field, VARINT);
        varint(value);
    }

    /** A packed {@code repeated fixed64} or {@code repeated double} field. */
    void packedFixed64(int field, long[] values, int count) {
        tag(field, LENGTH_DELIMITED);
        varint(8L * count);
        ensure(8 * count);
        for (int v = 0; v < count; v++) {
            long value = values[v];
            for (int i = 0; i < 8; i++) {
                buffer[size++] = (byte) (value >>> (8 * i));
            }
        }
    }

    // opentelemetry-proto common/v1: KeyValue {key = 1; AnyValue value = 2}, AnyValue {string = 1; bool = 2; int = 3;
    // double = 4}, InstrumentationScope {name = 1; version = 2}, Resource {attributes = 1}
    private static final int KEY_VALUE_KEY = 1;
    private static final int KEY_VALUE_VALUE = 2;
    private static final int ANY_STRING = 1;
    private static final int ANY_BOOL = 2;
    private static final int ANY_INT = 3;
    private static final int ANY_DOUBLE = 4;

    /** A {@code KeyValue} field with a string value; nothing for a null value. */
    void attribute(int field, String key, String value) {
        if (value != null) {
            int keyValue = openAttribute(field, key);
            string(ANY_STRING, value);
            closeAttribute(keyValue);
        }
    }

    void attribute(int field, String key, long value) {
        int keyValue = openAttribute(field, key);
        int64(ANY_INT, value);
        closeAttribute(keyValue);
    }

    void attribute(int field, String key, boolean value) {
        int keyValue = openAttribute(field, key);
        int64(ANY_BOOL, value ? 1 : 0);
        closeAttribute(keyValue);
    }

    void attribute(int field, String key, double value) {
        int keyValue = openAttribute(field, key);
        doubleValue(ANY_DOUBLE, value);
        closeAttribute(keyValue);
    }

    /** A {@code Resource} field with these attributes. */
    void resource(int field, Map<String, String> attributes) {
        int resource = begin(field);
        for (Map.Entry<String, String> attribute : attributes.entrySet()) {
            attribute(1, attribute.getKey(), attribute.getValue());
        }
        end(resource);
    }

    /** An {@code InstrumentationScope} field. */
    void scope(int field, String name, String version) {
        int scope = begin(field);
        string(1, name);
        string(2, version);
        end(scope);
    }

    /** Where the open attribute's {@code AnyValue} starts (see {@link #openAttribute}). */
    private int valueAt;

    private int openAttribute(int field, String key) {
        int keyValue = begin(field);
        string(KEY_VALUE_KEY, key);
        valueAt = begin(KEY_VALUE_VALUE);
        return keyValue;
    }

    private void closeAttribute(int keyValue) {
        end(valueAt);
        end(keyValue);
    }

    private void tag(int field, int wireType) {
        varint(((long) field << 3) | wireType);
    }

    private void varint(long value) {
        ensure(10);
        while ((value & ~0x7FL) != 0) {
            buffer[size++] = (byte) ((value & 0x7F) | 0x80);
            value >>>= 7;
        }
        buffer[size++] = (byte) value;
    }

    private void bigEndian(long value) {
        for (int i = 7; i >= 0; i--) {
            buffer[size++] = (byte) (value >>> (8 * i));
        }
    }

    static int varintSize(long value) {
        int bytes = 1;
        while ((value & ~0x7FL) != 0) {
            value >>>= 7;
            bytes++;
        }
        return bytes;
    }

    /** UTF-8 length of a Java string; an unpaired surrogate counts (and is written) as '?', as String.getBytes does. */
    static int utf8Length(String value) {
        int length = value.length();
        int bytes = length;
        for (int i = 0; i < length; i++) {
            char c = value.charAt(i);
            if (c >= 0x80) {
                if (c < 0x800) {
                    bytes += 1;
                } else if (Character.isHighSurrogate(c) && i + 1 < length
                        && Character.isLowSurrogate(value.charAt(i + 1))) {
                    bytes += 2; // four bytes for the two chars
                    i++;
                } else if (Character.isSurrogate(c)) {
                    bytes += 0; // '?'
                } else {
                    bytes += 2;
                }
            }
        }
        return bytes;
    }

    private void writeUtf8(String value) {
        byte[] out = buffer;
        int at = size;
        int length = value.length();
        for (int i = 0; i < length; i++) {
            char c = value.charAt(i);
            if (c < 0x80) {
                out[at++] = (byte) c;
            } else if (c < 0x800) {
                out[at++] = (byte) (0xC0 | (c >> 6));
                out[at++] = (byte) (0x80 | (c & 0x3F));
            } else if (Character.isHighSurrogate(c) && i + 1 < length
                    && Character.isLowSurrogate(value.charAt(i + 1))) {
                int codePoint = Character.toCodePoint(c, value.charAt(++i));
                out[at++] = (byte) (0xF0 | (codePoint >> 18));
                out[at++] = (byte) (0x80 | ((codePoint >> 12) & 0x3F));
                out[at++] = (byte) (0x80 | ((codePoint >> 6) & 0x3F));
                out[at++] = (byte) (0x80 | (codePoint & 0x3F));
            } else if (Character.isSurrogate(c)) {
                out[at++] = '?';
            } else {
                out[at++] = (byte) (0xE0 | (c >> 12));
                out[at++] = (byte) (0x80 | ((c >> 6) & 0x3F));
                out[at++] = (byte) (0x80 | (c & 0x3F));
            }
        }
        size = at;
    }

    private void ensure(int more) {
        if (size + more > buffer.length) {
            buffer = Arrays.copyOf(buffer, Math.max(buffer.length * 2, size + more));
        }
    }
}
