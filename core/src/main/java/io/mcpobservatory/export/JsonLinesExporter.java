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

    private void write(JsonGenerator gen, Span span) throws IOException {
        gen.writeStartObject();
        gen.writeStringField("trace_id", SpanFormat.traceId(span));
        gen.writeStringField("span_id", SpanFormat.spanId(span.spanId));
        gen.writeStringField("parent_span_id", SpanFormat.spanId(span.parentSpanId));
        gen.writeStringField("kind", span.kind);
        gen.writeStringField("name", span.name());
        gen.writeStringField("service", service);
        gen.writeStringField("mcp_method", span.method);
        gen.writeStringField("tool_name", span.toolName);
        gen.writeStringField("prompt_name", span.promptName);
        gen.writeStringField("resource_uri", span.resourceUri);
        gen.writeStringField("jsonrpc_request_id", SpanFormat.requestId(span));
        gen.writeStringField("session_id", span.sessionId);
        gen.writeStringField("protocol_version", span.protocolVersion);
        gen.writeStringField("transport", span.transport);
        gen.writeStringField("client_name", span.clientName);
        gen.writeStringField("client_version", span.clientVersion);
        gen.writeStringField("start_time", SpanFormat.instant(span.startEpochNanos));
        gen.writeStringField("end_time", SpanFormat.instant(SpanFormat.endEpochNanos(span)));
        gen.writeNumberField("duration_ms", SpanFormat.durationMillis(span));
        gen.writeStringField("status", span.status);
        gen.writeStringField("error_type", span.errorType);
        gen.writeStringField("error_message", span.errorMessage); // cut at record time
        writeCount(gen, "request_bytes", span.requestBytes);
        writeCount(gen, "response_bytes", span.responseBytes);
        gen.writeStringField("model", span.model);
        writeCount(gen, "prompt_tokens", span.promptTokens);
        writeCount(gen, "completion_tokens", span.completionTokens);
        writeDouble(gen, "cost_usd", span.costUsd);
        writeCount(gen, "retries", span.retries);
        if (span.fallbackUsed == null) {
            gen.writeNullField("fallback_used");
        } else {
            gen.writeBooleanField("fallback_used", span.fallbackUsed);
        }
        writeDouble(gen, "confidence", span.confidence);
        String attributes = SpanFormat.attributes(span);
        if (attributes != null) {
            gen.writeFieldName("attributes");
            gen.writeRawValue(attributes);
        } else {
            gen.writeNullField("attributes");
        }
        gen.writeEndObject();
    }

    private static void writeCount(JsonGenerator gen, String name, long value) throws IOException {
        if (value < 0) {
            gen.writeNullField(name);
        } else {
            gen.writeNumberField(name, value);
        }
    }

    private static void writeDouble(JsonGenerator gen, String name, Double value) throws IOException {
        if (value == null) {
            gen.writeNullField(name);
        } else {
            gen.writeNumberField(name, value);
        }
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
