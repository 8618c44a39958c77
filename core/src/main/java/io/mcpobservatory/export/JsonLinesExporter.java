package io.mcpobservatory.export;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.mcpobservatory.bootstrap.Span;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;

/**
 * The default sink: one JSON object per span and line, field names in snake_case equal to the PostgreSQL columns. The file
 * rotates by size: {@code spans.jsonl} becomes {@code spans.jsonl.1}, and so on up to {@code maxFiles} rotated files, the
 * oldest deleted; so the disk used is bounded by about {@code maxBytes * (maxFiles + 1)}.
 */
public final class JsonLinesExporter implements SpanExporter {

    private final JsonFactory json = new JsonFactory();
    private final Path path;
    private final long maxBytes;
    private final int maxFiles;
    private final String service;
    private final ByteArrayOutputStream buffer = new ByteArrayOutputStream(64 * 1024);
    private OutputStream out;
    private long size;

    public JsonLinesExporter(Path path, long maxBytes, int maxFiles, String service) {
        this.path = path.toAbsolutePath();
        this.maxBytes = maxBytes;
        this.maxFiles = maxFiles;
        this.service = service;
    }

    @Override
    public void export(List<Span> batch) throws IOException {
        buffer.reset();
        try (JsonGenerator gen = json.createGenerator(buffer, JsonEncoding.UTF8)) {
            gen.setRootValueSeparator(null);
            for (Span span : batch) {
                write(gen, span);
                gen.flush();
                buffer.write('\n');
            }
        }
        if (out == null) {
            open();
        } else if (size > 0 && size + buffer.size() > maxBytes) {
            rotate();
        }
        buffer.writeTo(out);
        out.flush(); // a batch is on disk (in the page cache) once exported, even if the JVM is killed later
        size += buffer.size();
    }

    /** One span as a JSON object: the fields of {@link SpanSchema}, in its order. */
    private void write(JsonGenerator gen, Span span) throws IOException {
        gen.writeStartObject();
        for (SpanSchema.Field field : SpanSchema.FIELDS) {
            gen.writeFieldName(field.name);
            switch (field.type) {
                case TRACE_ID:
                    gen.writeString(SpanFormat.traceId(span));
                    break;
                case SPAN_ID:
                    gen.writeString(SpanFormat.spanId(field.longValue(span))); // jackson-core writes null for null
                    break;
                case SERVICE:
                    gen.writeString(service);
                    break;
                case TIMESTAMP:
                    gen.writeString(SpanFormat.instant(field.longValue(span)));
                    break;
                case MILLIS:
                    gen.writeNumber(SpanFormat.millisText(field.longValue(span))); // written as is: a number
                    break;
                case COUNT:
                case SMALL_COUNT:
                    long count = field.longValue(span);
                    if (count < 0) {
                        gen.writeNull();
                    } else {
                        gen.writeNumber(count);
                    }
                    break;
                case DECIMAL:
                case FLAG:
                    gen.writeObject(field.value(span)); // a Double or Boolean, or null: jackson-core writes these itself
                    break;
                case JSON_OBJECT:
                    String json = (String) field.value(span);
                    if (json == null) {
                        gen.writeNull();
                    } else {
                        gen.writeRawValue(json);
                    }
                    break;
                default: // TEXT
                    gen.writeString((String) field.value(span));
                    break;
            }
        }
        gen.writeEndObject();
    }

    private void open() throws IOException {
        Path parent = path.getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        out = Files.newOutputStream(path, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        size = Files.size(path);
    }

    private void rotate() throws IOException {
        out.close();
        out = null;
        Files.deleteIfExists(rotated(maxFiles));
        for (int i = maxFiles - 1; i >= 1; i--) {
            Path from = rotated(i);
            if (Files.exists(from)) {
                Files.move(from, rotated(i + 1), StandardCopyOption.REPLACE_EXISTING);
            }
        }
        if (maxFiles > 0) {
            Files.move(path, rotated(1), StandardCopyOption.REPLACE_EXISTING);
        } else {
            Files.delete(path);
        }
        open();
    }

    private Path rotated(int index) {
        return path.resolveSibling(path.getFileName() + "." + index);
    }

    @Override
    public String describe() {
        return "jsonl " + path;
    }

    @Override
    public void close() throws IOException {
        if (out != null) {
            out.close();
            out = null;
        }
    }
}
