package io.mcpobservatory.export.otlp;

import io.mcpobservatory.bootstrap.McpMethod;
import io.mcpobservatory.bootstrap.Span;
import io.mcpobservatory.bootstrap.SpanAttributes;
import io.mcpobservatory.bootstrap.TraceParent;
import io.mcpobservatory.metrics.SpanMetrics;
import java.util.List;
import java.util.Map;

/**
 * Writes a batch of spans as an OTLP {@code ExportTraceServiceRequest} (opentelemetry-proto
 * {@code collector/trace/v1}), in the OpenTelemetry MCP semantic conventions: name {@code {mcp.method.name} {target}},
 * kind SERVER or CLIENT, status ERROR with the error message when {@code error.type} is set, and the conventions'
 * attributes; trace and span ids as they are in the JSON lines and {@code mcp_spans}. Not thread-safe: one per sending
 * thread, its buffer reused from batch to batch.
 */
public final class TraceEncoder {

    // opentelemetry-proto field numbers (trace/v1/trace.proto, common/v1/common.proto, resource/v1/resource.proto)
    private static final int REQUEST_RESOURCE_SPANS = 1;
    private static final int RESOURCE_SPANS_RESOURCE = 1;
    private static final int RESOURCE_SPANS_SCOPE_SPANS = 2;
    private static final int SCOPE_SPANS_SCOPE = 1;
    private static final int SCOPE_SPANS_SPANS = 2;
    private static final int SPAN_TRACE_ID = 1;
    private static final int SPAN_SPAN_ID = 2;
    private static final int SPAN_PARENT_SPAN_ID = 4;
    private static final int SPAN_NAME = 5;
    private static final int SPAN_KIND = 6;
    private static final int SPAN_START = 7;
    private static final int SPAN_END = 8;
    private static final int SPAN_ATTRIBUTES = 9;
    private static final int SPAN_LINKS = 13;
    private static final int LINK_TRACE_ID = 1;
    private static final int LINK_SPAN_ID = 2;
    private static final int SPAN_STATUS = 15;
    private static final int STATUS_MESSAGE = 2;
    private static final int STATUS_CODE = 3;

    private static final int KIND_SERVER = 2;
    private static final int KIND_CLIENT = 3;
    private static final int STATUS_ERROR = 2;

    /** The scope every span is in: the agent, as an instrumentation library. */
    static final String SCOPE = "io.mcpobservatory";

    private final ProtoWriter out = new ProtoWriter(64 * 1024);
    /** Scratch: the context of a span's HTTP traceparent, read by {@link TraceParent#join}. */
    private final Span linked = new Span();
    private final Map<String, String> resource;
    private final String scopeVersion;

    /**
     * @param resource the resource's attributes ({@code service.name} among them), in order
     * @param scopeVersion the agent's version, or null
     */
    public TraceEncoder(Map<String, String> resource, String scopeVersion) {
        this.resource = resource;
        this.scopeVersion = scopeVersion;
    }

    /** Encodes the batch; the request is the first {@link #size()} bytes of {@link #buffer()} until the next call. */
    public void encode(List<Span> batch) {
        ProtoWriter out = this.out;
        out.reset();
        int resourceSpans = out.begin(REQUEST_RESOURCE_SPANS);
        out.resource(RESOURCE_SPANS_RESOURCE, resource);
        int scopeSpans = out.begin(RESOURCE_SPANS_SCOPE_SPANS);
        out.scope(SCOPE_SPANS_SCOPE, SCOPE, scopeVersion);
        for (Span span : batch) {
            int at = out.begin(SCOPE_SPANS_SPANS);
            span(span);
            out.end(at);
        }
        out.end(scopeSpans);
        out.end(resourceSpans);
    }

    public byte[] buffer() {
        return out.buffer();
    }

    public int size() {
        return out.size();
    }

    private void span(Span span) {
        ProtoWriter out = this.out;
        out.id(SPAN_TRACE_ID, span.traceIdHigh, span.traceIdLow, true);
        out.id(SPAN_SPAN_ID, 0, span.spanId, false);
        if (span.parentSpanId != 0) {
            out.id(SPAN_PARENT_SPAN_ID, 0, span.parentSpanId, false);
        }
        out.string(SPAN_NAME, span.name());
        out.int64(SPAN_KIND, span.isServer() ? KIND_SERVER : KIND_CLIENT);
        out.fixed64(SPAN_START, span.startEpochNanos);
        out.fixed64(SPAN_END, span.startEpochNanos + span.durationNanos());
        attributes(span);
        link(span);
        if (span.errorType != null) {
            int status = out.begin(SPAN_STATUS);
            out.string(STATUS_MESSAGE, span.errorMessage);
            out.int64(STATUS_CODE, STATUS_ERROR);
            out.end(status);
        }
    }

    /**
     * The HTTP request's {@code traceparent} as a link, when {@code _meta} named the parent and the header another
     * context (the MCP conventions: the transport's context is a link, not the parent).
     */
    private void link(Span span) {
        Object header = span.httpTraceParent;
        if (header == null || !TraceParent.join(linked, header)) {
            return;
        }
        if (linked.traceIdHigh == span.traceIdHigh && linked.traceIdLow == span.traceIdLow
                && linked.parentSpanId == span.parentSpanId) {
            return; // the same context: nothing to link
        }
        int link = out.begin(SPAN_LINKS);
        out.id(LINK_TRACE_ID, linked.traceIdHigh, linked.traceIdLow, true);
        out.id(LINK_SPAN_ID, 0, linked.parentSpanId, false);
        out.end(link);
    }

    /** The conventions' attributes, then ours ({@code mcp.observatory.*}), then the application's own. */
    private void attributes(Span span) {
        McpMethod method = span.method;
        string(SPAN_ATTRIBUTES, "mcp.method.name", method.name);
        if (method == McpMethod.TOOLS_CALL) {
            string(SPAN_ATTRIBUTES, "gen_ai.operation.name", "execute_tool");
        }
        string(SPAN_ATTRIBUTES, "gen_ai.tool.name", span.toolName);
        string(SPAN_ATTRIBUTES, "gen_ai.prompt.name", span.promptName);
        string(SPAN_ATTRIBUTES, "mcp.resource.uri", span.resourceUri);
        if (span.requestId != null) {
            string(SPAN_ATTRIBUTES, "jsonrpc.request.id", span.requestId.toString());
        }
        string(SPAN_ATTRIBUTES, "mcp.session.id", span.sessionId);
        string(SPAN_ATTRIBUTES, "mcp.protocol.version", span.protocolVersion);
        string(SPAN_ATTRIBUTES, "network.transport", SpanMetrics.networkTransport(span.transport));
        String errorType = span.errorType;
        if (errorType != null) {
            string(SPAN_ATTRIBUTES, "error.type", errorType);
            if (isRpcCode(errorType)) {
                string(SPAN_ATTRIBUTES, "rpc.response.status_code", errorType);
            }
        }
        if (span.promptTokens >= 0) {
            integer(SPAN_ATTRIBUTES, "gen_ai.usage.input_tokens", span.promptTokens);
        }
        if (span.completionTokens >= 0) {
            integer(SPAN_ATTRIBUTES, "gen_ai.usage.output_tokens", span.completionTokens);
        }
        // opt-in in the conventions, and here: only set with observatory.capture.content=true (masked on the drainer)
        string(SPAN_ATTRIBUTES, "gen_ai.tool.call.arguments", span.toolArguments);
        string(SPAN_ATTRIBUTES, "gen_ai.tool.call.result", span.toolResult);
        if (span.costUsd != null) {
            decimal(SPAN_ATTRIBUTES, "mcp.observatory.cost_usd", span.costUsd);
        }
        string(SPAN_ATTRIBUTES, "mcp.observatory.model", span.model);
        string(SPAN_ATTRIBUTES, "mcp.observatory.transport", span.transport);
        string(SPAN_ATTRIBUTES, "mcp.observatory.client.name", span.clientName);
        string(SPAN_ATTRIBUTES, "mcp.observatory.client.version", span.clientVersion);
        string(SPAN_ATTRIBUTES, "mcp.observatory.server.name", span.serverName);
        string(SPAN_ATTRIBUTES, "mcp.observatory.server.version", span.serverVersion);
        if (span.tokensEstimated) {
            bool(SPAN_ATTRIBUTES, "mcp.observatory.tokens_estimated", true);
        }
        if (span.retries >= 0) {
            integer(SPAN_ATTRIBUTES, "mcp.observatory.retries", span.retries);
        }
        if (span.fallbackUsed != null) {
            bool(SPAN_ATTRIBUTES, "mcp.observatory.fallback_used", span.fallbackUsed);
        }
        if (span.confidence != null) {
            decimal(SPAN_ATTRIBUTES, "mcp.observatory.confidence", span.confidence);
        }
        SpanAttributes custom = span.attributes;
        if (custom != null) {
            for (int i = 0, size = custom.size(); i < size; i++) {
                custom(custom.key(i), custom.value(i));
            }
        }
    }

    /** An attribute the application set through the enrichment API, with the type it was given. */
    private void custom(String key, Object value) {
        if (key == null || value == null) {
            return; // a slot another thread was still writing
        }
        if (value instanceof String) {
            string(SPAN_ATTRIBUTES, key, (String) value);
        } else if (value instanceof Boolean) {
            bool(SPAN_ATTRIBUTES, key, (Boolean) value);
        } else if (value instanceof Long) {
            integer(SPAN_ATTRIBUTES, key, (Long) value);
        } else if (value instanceof Double) {
            decimal(SPAN_ATTRIBUTES, key, (Double) value);
        }
    }

    /** A JSON-RPC error code ({@code -32603}): the conventions' {@code rpc.response.status_code}. */
    static boolean isRpcCode(String errorType) {
        int length = errorType.length();
        if (length < 2 || length > 11 || errorType.charAt(0) != '-') {
            return false;
        }
        for (int i = 1; i < length; i++) {
            char c = errorType.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }

    private void string(int field, String key, String value) {
        out.attribute(field, key, value);
    }

    private void integer(int field, String key, long value) {
        out.attribute(field, key, value);
    }

    private void bool(int field, String key, boolean value) {
        out.attribute(field, key, value);
    }

    private void decimal(int field, String key, double value) {
        out.attribute(field, key, value);
    }
}
