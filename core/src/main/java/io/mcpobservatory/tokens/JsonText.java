package io.mcpobservatory.tokens;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.mcpobservatory.bootstrap.Accessors;
import io.mcpobservatory.bootstrap.Payload;
import java.io.IOException;
import java.io.Writer;
import java.lang.reflect.Method;
import java.lang.reflect.RecordComponent;
import java.util.Map;
import java.util.Optional;

/**
 * JSON text of a structured payload part (maps and lists from parsed JSON, records built by the application), as the
 * model would read it, on the drainer thread. Only the first {@code maxChars} characters are kept; the rest is only
 * counted, so a huge value costs no more memory than the cap. Records are written by their components (null ones left
 * out, as the SDK's JSON mapper does); anything else by {@code toString()}.
 */
public final class JsonText {

    private static final JsonFactory JSON = new JsonFactory();
    private static final int MAX_DEPTH = 64;

    /** The kept text and the length the whole text has. */
    public static final class Result {
        public final String text;
        public final long fullChars;

        Result(String text, long fullChars) {
            this.text = text;
            this.fullChars = fullChars;
        }
    }

    private JsonText() {
    }

    public static Result of(Object value, int maxChars) throws IOException {
        BoundedWriter out = new BoundedWriter(maxChars);
        try (JsonGenerator json = JSON.createGenerator(out)) {
            write(json, value, 0);
        }
        return new Result(out.kept.toString(), out.total);
    }

    private static void write(JsonGenerator json, Object value, int depth) throws IOException {
        if (value instanceof Optional) {
            value = ((Optional<?>) value).orElse(null);
        }
        if (value == null || depth > MAX_DEPTH) {
            json.writeNull();
        } else if (value instanceof CharSequence || value instanceof Enum || value instanceof Character) {
            json.writeString(value.toString());
        } else if (value instanceof Number) {
            json.writeNumber(value.toString());
        } else if (value instanceof Boolean) {
            json.writeBoolean((Boolean) value);
        } else if (value instanceof Map) {
            json.writeStartObject();
            for (Map.Entry<?, ?> entry : ((Map<?, ?>) value).entrySet()) {
                json.writeFieldName(String.valueOf(entry.getKey()));
                write(json, entry.getValue(), depth + 1);
            }
            json.writeEndObject();
        } else if (value instanceof Iterable) {
            json.writeStartArray();
            for (Object item : (Iterable<?>) value) {
                write(json, item, depth + 1);
            }
            json.writeEndArray();
        } else if (value instanceof Object[]) {
            json.writeStartArray();
            for (Object item : (Object[]) value) {
                write(json, item, depth + 1);
            }
            json.writeEndArray();
        } else if (value instanceof Payload.Catalog) {
            writeCatalog(json, (Payload.Catalog) value, depth);
        } else if (value.getClass().isRecord()) {
            writeRecord(json, value, depth);
        } else {
            json.writeString(value.toString());
        }
    }

    /** Per tool what a client shows its model: name, description, input and output schema (when set). */
    private static void writeCatalog(JsonGenerator json, Payload.Catalog catalog, int depth) throws IOException {
        json.writeStartArray();
        for (Object tool : catalog.tools()) {
            json.writeStartObject();
            for (String field : CATALOG_FIELDS) {
                Object item = Accessors.param(tool, field);
                if (item != null) {
                    json.writeFieldName(field);
                    write(json, item, depth + 2);
                }
            }
            json.writeEndObject();
        }
        json.writeEndArray();
    }

    private static final String[] CATALOG_FIELDS = {"name", "description", "inputSchema", "outputSchema"};

    private static void writeRecord(JsonGenerator json, Object record, int depth) throws IOException {
        json.writeStartObject();
        for (RecordComponent component : record.getClass().getRecordComponents()) {
            Object item;
            try {
                Method accessor = component.getAccessor();
                accessor.setAccessible(true);
                item = accessor.invoke(record);
            } catch (ReflectiveOperationException | RuntimeException e) {
                continue;
            }
            if (item != null) {
                json.writeFieldName(component.getName());
                write(json, item, depth + 1);
            }
        }
        json.writeEndObject();
    }

    /** Keeps the first {@code cap} characters and counts all of them. */
    private static final class BoundedWriter extends Writer {
        final StringBuilder kept = new StringBuilder();
        final int cap;
        long total;

        BoundedWriter(int cap) {
            this.cap = cap;
        }

        @Override
        public void write(char[] chars, int offset, int length) {
            int room = (int) Math.max(0, Math.min(length, cap - kept.length()));
            kept.append(chars, offset, room);
            total += length;
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    }
}
