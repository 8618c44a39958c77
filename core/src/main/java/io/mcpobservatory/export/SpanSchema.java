package io.mcpobservatory.export;

import io.mcpobservatory.bootstrap.Span;
import java.util.List;
import java.util.function.Function;
import java.util.function.ToLongFunction;

/**
 * The span's exported fields, in order: the one definition every writer loops over (the JSON-lines writer, the PostgreSQL
 * COPY encoder; a test checks the {@code mcp_spans} columns the migrations create against it). A field has a name (the
 * JSON key and the column, snake_case), a logical type that says how each format writes it, and how to read it from a
 * span.
 *
 * <p>To add a field: one line here (and a migration adding its column, which the schema test then demands).
 */
public final class SpanSchema {

    /** Logical types: how a value is read from the span, and its PostgreSQL type. */
    public enum Type {
        /** The span's W3C trace id: 32 hex digits in JSON, a {@code uuid} column. */
        TRACE_ID("uuid"),
        /** A W3C span id (0 = none): 16 hex digits in JSON, a {@code bigint} column (its 8 bytes, big-endian). */
        SPAN_ID("bigint"),
        TEXT("text"),
        /** The recording service: not on the span, the exporter's ({@code observatory.service.name}). */
        SERVICE("text"),
        /** Nanoseconds since the epoch: ISO-8601 in JSON, a {@code timestamptz} column (microseconds). */
        TIMESTAMP("timestamp with time zone"),
        /** A duration in nanoseconds, written as milliseconds with microsecond precision. */
        MILLIS("double precision"),
        /** A count; negative = not known (null). */
        COUNT("bigint"),
        /** A small count; negative = not known (null). */
        SMALL_COUNT("integer"),
        /** A {@code Double}, null when not known. */
        DECIMAL("double precision"),
        /** A {@code Boolean}, null when not known. */
        FLAG("boolean"),
        /** A JSON object as text, null when none. */
        JSON_OBJECT("jsonb");

        /** The column type, as {@code information_schema.columns.data_type} names it. */
        public final String sqlType;

        Type(String sqlType) {
            this.sqlType = sqlType;
        }
    }

    /** One exported field. Numeric types are read as longs ({@link #longValue}), the others as objects ({@link #value}). */
    public static final class Field {
        public final String name;
        public final Type type;
        /** Whether every span has it ({@code NOT NULL} in the table). */
        public final boolean required;
        private final ToLongFunction<Span> longs;
        private final Function<Span, Object> values;

        private Field(String name, Type type, boolean required, ToLongFunction<Span> longs, Function<Span, Object> values) {
            this.name = name;
            this.type = type;
            this.required = required;
            this.longs = longs;
            this.values = values;
        }

        /** SPAN_ID, TIMESTAMP, MILLIS (nanoseconds), COUNT, SMALL_COUNT. */
        public long longValue(Span span) {
            return longs.applyAsLong(span);
        }

        /** TEXT (String), DECIMAL (Double), FLAG (Boolean), JSON_OBJECT (String). */
        public Object value(Span span) {
            return values.apply(span);
        }

        @Override
        public String toString() {
            return name + " " + type.sqlType + (required ? " NOT NULL" : "");
        }
    }

    private static final boolean REQUIRED = true;
    private static final boolean OPTIONAL = false;

    /** In JSON-lines order. */
    public static final List<Field> FIELDS = List.of(
            new Field("trace_id", Type.TRACE_ID, REQUIRED, null, null),
            longs("span_id", Type.SPAN_ID, REQUIRED, s -> s.spanId),
            longs("parent_span_id", Type.SPAN_ID, OPTIONAL, s -> s.parentSpanId),
            text("kind", REQUIRED, s -> s.kind),
            text("name", REQUIRED, Span::name),
            new Field("service", Type.SERVICE, REQUIRED, null, null),
            text("mcp_method", REQUIRED, s -> s.method.name),
            text("tool_name", OPTIONAL, s -> s.toolName),
            text("prompt_name", OPTIONAL, s -> s.promptName),
            text("resource_uri", OPTIONAL, s -> s.resourceUri),
            // JSON-RPC ids are numbers or strings: their text, so both fit one column
            text("jsonrpc_request_id", OPTIONAL, s -> s.requestId == null ? null : s.requestId.toString()),
            text("session_id", OPTIONAL, s -> s.sessionId),
            text("protocol_version", OPTIONAL, s -> s.protocolVersion),
            text("transport", OPTIONAL, s -> s.transport),
            text("client_name", OPTIONAL, s -> s.clientName),
            text("client_version", OPTIONAL, s -> s.clientVersion),
            longs("start_time", Type.TIMESTAMP, REQUIRED, s -> s.startEpochNanos),
            longs("end_time", Type.TIMESTAMP, REQUIRED, s -> s.startEpochNanos + s.durationNanos()),
            longs("duration_ms", Type.MILLIS, REQUIRED, Span::durationNanos),
            text("status", REQUIRED, s -> s.status),
            text("error_type", OPTIONAL, s -> s.errorType),
            text("error_message", OPTIONAL, s -> s.errorMessage), // cut at record time (Span.MAX_TEXT_CHARS)
            text("model", OPTIONAL, s -> s.model),
            longs("prompt_tokens", Type.COUNT, OPTIONAL, s -> s.promptTokens),
            longs("completion_tokens", Type.COUNT, OPTIONAL, s -> s.completionTokens),
            values("cost_usd", Type.DECIMAL, s -> s.costUsd),
            longs("retries", Type.SMALL_COUNT, OPTIONAL, s -> s.retries),
            values("fallback_used", Type.FLAG, s -> s.fallbackUsed),
            values("confidence", Type.DECIMAL, s -> s.confidence),
            values("attributes", Type.JSON_OBJECT, SpanFormat::attributes),
            // only with observatory.capture.content=true: masked and cut on the drainer (capture/ContentCapture)
            text("tool_arguments", OPTIONAL, s -> s.toolArguments),
            text("tool_result", OPTIONAL, s -> s.toolResult));

    private SpanSchema() {
    }

    private static Field text(String name, boolean required, Function<Span, Object> reader) {
        return new Field(name, Type.TEXT, required, null, reader);
    }

    private static Field longs(String name, Type type, boolean required, ToLongFunction<Span> reader) {
        return new Field(name, type, required, reader, null);
    }

    private static Field values(String name, Type type, Function<Span, Object> reader) {
        return new Field(name, type, OPTIONAL, null, reader);
    }
}
