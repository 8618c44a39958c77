package io.mcpobservatory.bootstrap;

import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;

/**
 * One span: an MCP request, notification or model call, as seen by one side.
 *
 * <p>It lives in the bootstrap class loader so that advice written into SDK classes of any class loader can create and fill
 * it. The request thread only stores cheap values (references, longs); everything costly (hex ids, timestamps as text,
 * serialization, tokens) is done by the drainer thread from these raw fields. Fields are plain because a span is written by
 * the request path until {@link #end} publishes it, and only read by the drainer after that hand-off through a
 * concurrent queue, which gives the happens-before edge.
 *
 * <p>"Empty" seed fields are {@code null} (objects) or {@code -1} (counts) so that exporters can tell "not known" from zero.
 */
public final class Span {

    public static final String KIND_SERVER = "server";
    public static final String KIND_CLIENT = "client";
    public static final String STATUS_OK = "ok";
    public static final String STATUS_ERROR = "error";

    /**
     * Longest text a span keeps from its input (error messages, tool names, URIs...): bad input is recorded, never
     * amplified, and the pipeline's memory bound holds whatever a client sends.
     */
    public static final int MAX_TEXT_CHARS = 2048;

    // Identity (W3C: 16-byte trace id, 8-byte span id). 0 means absent.
    public long traceIdHigh;
    public long traceIdLow;
    public long spanId;
    public long parentSpanId;

    /**
     * The {@code sampled} flag of the {@code traceparent} the trace came with (from another process), carried to the
     * trace's spans in this one; null when the trace started here. See {@link TraceSampling}.
     */
    public Boolean callerSampled;

    /**
     * The {@code traceparent} HTTP header of the request, kept (as the servlet gave it) only when {@code _meta} named
     * the parent and the header was there too: the OTLP exporter makes a span link of it when it names another context,
     * as the MCP conventions say. Null otherwise.
     */
    public Object httpTraceParent;

    public String kind;
    /** The MCP method: its entry in {@link McpMethod}'s table (or a name-only entry for a method the table does not know). */
    public McpMethod method;
    public String toolName;
    public String promptName;
    public String resourceUri;
    /** The JSON-RPC id as the SDK holds it (Integer, Long or String); null on notifications. */
    public Object requestId;
    public String sessionId;
    public String protocolVersion;
    public String transport;
    public String clientName;
    public String clientVersion;
    /** Client spans: the server's name and version, from its initialize result (attributes server_name, server_version). */
    public String serverName;
    public String serverVersion;

    /** Wall-clock start in nanoseconds since the epoch, anchored to {@link System#nanoTime()} (see {@link Clock}). */
    public long startEpochNanos;
    public long startNanos;
    public long endNanos;

    public String status;
    public String errorType;
    public String errorMessage;

    // Seed fields of the span model. Tokens, cost and model are filled on the drainer (tokens/TokenAccounting); retries,
    // fallback and confidence are the application's to say (the enrichment API, Enrichment), unknown until it does.
    public String model;
    public long promptTokens = -1;
    public long completionTokens = -1;
    public Double costUsd;
    public int retries = -1;
    public Boolean fallbackUsed;
    public Double confidence;
    /** What the application added through the enrichment API, its decision flags included; null when nothing. */
    public SpanAttributes attributes;

    /** Set once the outcome (response or failure) is known, so a later, less precise signal cannot overwrite it. */
    public boolean outcomeKnown;

    /**
     * What the span put into the model's context (prompt tokens) and what the model generated for it (completion
     * tokens: a tool call's arguments), captured on the request thread; the drainer counts their tokens and clears them.
     */
    public Payload promptPayload;
    public Payload completionPayload;
    /**
     * Captured content (observatory.capture.content): the request's and the result's text, made from the payloads above
     * on the drainer, masked and cut there; null unless content capture is on. Never set on the request thread.
     */
    public String toolArguments;
    public String toolResult;

    /** Token counts are estimates (a payload past observatory.tokens.max-chars, an image of unknown size). */
    public boolean tokensEstimated;
    /**
     * A tools/list answer's tool names (attributes.listed_tools), read from its catalog on the drainer, so that a query
     * can tell which listed tools were never called; null on other spans.
     */
    public String[] listedTools;

    /** The SDK session the span belongs to, while it runs (to update the session at initialize); never exported. */
    public Object session;
    /** The transport this span waits on for its response (streamable HTTP), while it runs; never exported. */
    public Object pendingOn;
    /**
     * A sent request's {@code _meta} as the agent made it (holding the span's {@code traceparent}), until the request is
     * built: a span that takes its parent only at subscription ({@link ReactorTrace}) rewrites it there; never exported.
     */
    public java.util.Map<String, Object> sentMeta;

    private volatile int ended;
    private static final AtomicIntegerFieldUpdater<Span> ENDED =
            AtomicIntegerFieldUpdater.newUpdater(Span.class, "ended");

    /** Starts a span in a new trace, or in the trace of {@code parent} when there is one. */
    public static Span start(String kind, McpMethod method, Span parent) {
        Span span = new Span();
        ThreadLocalRandom random = ThreadLocalRandom.current();
        if (parent != null) {
            span.traceIdHigh = parent.traceIdHigh;
            span.traceIdLow = parent.traceIdLow;
            span.parentSpanId = parent.spanId;
            span.callerSampled = parent.callerSampled;
        } else {
            span.traceIdHigh = random.nextLong();
            span.traceIdLow = nonZero(random.nextLong());
        }
        span.spanId = nonZero(random.nextLong());
        span.kind = kind;
        span.method = method;
        span.startNanos = System.nanoTime();
        span.startEpochNanos = Clock.epochNanos(span.startNanos);
        return span;
    }

    private static long nonZero(long value) {
        return value == 0 ? 1 : value;
    }

    /** Marks the outcome as a JSON-RPC error (its code as error type, as the OpenTelemetry MCP conventions say). */
    public void failRpc(int code, String message) {
        status = STATUS_ERROR;
        errorType = Integer.toString(code);
        errorMessage = limit(message);
        outcomeKnown = true;
    }

    /** Marks the outcome as a thrown exception (its class name as error type). */
    public void fail(Throwable error) {
        status = STATUS_ERROR;
        errorType = error.getClass().getName();
        errorMessage = limit(error.getMessage());
        outcomeKnown = true;
    }

    /**
     * Ends the span once: later calls (a cancel racing a completion, two SDK layers reporting the same end) are ignored.
     * Returns true for the call that ended it, which then owns publishing it.
     */
    public boolean end() {
        if (!ENDED.compareAndSet(this, 0, 1)) {
            return false;
        }
        endNanos = System.nanoTime();
        if (status == null) {
            status = STATUS_OK;
        }
        return true;
    }

    /** Cuts text from outside at {@link #MAX_TEXT_CHARS}. */
    public static String limit(String text) {
        return text == null || text.length() <= MAX_TEXT_CHARS ? text : text.substring(0, MAX_TEXT_CHARS);
    }

    /**
     * A conservative estimate of the heap this span holds (the object, its boxed values and its strings at two bytes
     * per char; not the shared constants: kind, status, transport), for the pipeline's bound in bytes. Cheap: a dozen
     * length reads.
     */
    public long estimatedBytes() {
        return 240 + text(method.name) + text(toolName) + text(promptName) + text(resourceUri)
                + (requestId instanceof String ? text((String) requestId) : 16) + text(sessionId)
                + text(protocolVersion) + text(clientName) + text(clientVersion) + text(errorType) + text(errorMessage)
                + text(model) + text(serverName) + text(serverVersion)
                + (httpTraceParent instanceof String ? text((String) httpTraceParent) : 0)
                + (attributes == null ? 0 : attributes.estimatedBytes())
                + (promptPayload == null ? 0 : promptPayload.estimatedBytes())
                + (completionPayload == null ? 0 : completionPayload.estimatedBytes());
    }

    private static long text(String value) {
        return value == null ? 0 : 48 + 2L * value.length();
    }

    public boolean isEnded() {
        return ended != 0;
    }

    public long durationNanos() {
        return endNanos - startNanos;
    }

    /** The span name of the OpenTelemetry MCP conventions: {@code {method} {target}}, target = tool or prompt name. */
    public String name() {
        String target = toolName != null ? toolName : promptName;
        return target == null ? method.name : method.name + " " + target;
    }

    public boolean isServer() {
        return KIND_SERVER.equals(kind);
    }
}
