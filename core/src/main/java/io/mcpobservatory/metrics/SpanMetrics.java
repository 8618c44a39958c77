package io.mcpobservatory.metrics;

import io.mcpobservatory.bootstrap.Span;
import io.mcpobservatory.bootstrap.Transports;

/**
 * The MCP metrics of the OpenTelemetry semantic conventions (gen-ai/mcp), and the agent's token and cost counters,
 * recorded from finished spans on the drainer thread, before sampling or export can drop a span: every span handed to
 * the pipeline and taken from its queue is counted (spans dropped because the queue was full never reach the drainer;
 * {@code mcp.observatory.spans.dropped} counts them).
 *
 * <p>Every method here runs on the drainer thread only: each metric has a single writer and needs no atomic
 * read-modify-write (see {@link AttributedMetric}).
 */
public final class SpanMetrics {

    /** The conventions' bucket bounds for MCP operation and session durations, in seconds. */
    public static final double[] DURATION_BUCKETS_SECONDS =
            {0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 30, 60, 120, 300};

    static final String METHOD = "mcp.method.name";
    static final String ERROR_TYPE = "error.type";
    static final String TOOL = "gen_ai.tool.name";
    static final String PROMPT = "gen_ai.prompt.name";
    static final String PROTOCOL_VERSION = "mcp.protocol.version";
    static final String NETWORK_TRANSPORT = "network.transport";
    static final String TOKEN_TYPE = "gen_ai.token.type";
    /** The conventions' fallback error type, for a span in error that says no type. */
    static final String OTHER_ERROR = "_OTHER";

    private final MetricRegistry registry;
    private final DurationHistogram serverOperation;
    private final DurationHistogram clientOperation;
    private final DurationHistogram serverSession;
    private final DurationHistogram clientSession;
    private final Counter tokens;
    private final Counter cost;
    /**
     * The attribute values of each recording, filled in place: a varargs array would be allocated per span (the
     * metric's lookup key points at it, so escape analysis cannot remove it). Drainer only, like all of this class.
     */
    private final String[] operationValues = new String[6];
    private final String[] sessionValues = new String[3];
    private final String[] tokenValues = new String[3];
    private final String[] costValues = new String[2];

    public SpanMetrics(MetricRegistry registry) {
        this.registry = registry;
        String[] operation = {METHOD, TOOL, PROMPT, ERROR_TYPE, PROTOCOL_VERSION, NETWORK_TRANSPORT};
        String[] session = {PROTOCOL_VERSION, NETWORK_TRANSPORT, ERROR_TYPE};
        serverOperation = registry.histogram("mcp.server.operation.duration",
                "The duration of the MCP request or notification as observed on the receiver from the time it was"
                        + " received until the result or ack is sent.", DURATION_BUCKETS_SECONDS, operation);
        clientOperation = registry.histogram("mcp.client.operation.duration",
                "The duration of the MCP request or notification as observed on the sender from the time it was sent"
                        + " until the response or ack is received.", DURATION_BUCKETS_SECONDS, operation);
        serverSession = registry.histogram("mcp.server.session.duration",
                "The duration of the MCP session as observed on the MCP server.", DURATION_BUCKETS_SECONDS, session);
        clientSession = registry.histogram("mcp.client.session.duration",
                "The duration of the MCP session as observed on the MCP client.", DURATION_BUCKETS_SECONDS, session);
        tokens = registry.counter("mcp.observatory.tokens", "{token}",
                "Tokens a span put into a model's context (gen_ai_token_type=\"input\": prompt_tokens) or that a model"
                        + " generated for it (\"output\": completion_tokens), estimated by the agent.",
                METHOD, TOOL, TOKEN_TYPE);
        cost = registry.counter("mcp.observatory.cost", "USD",
                "Estimated cost in US dollars of the tokens counted in mcp.observatory.tokens, at list prices.",
                METHOD, TOOL);
    }

    public MetricRegistry registry() {
        return registry;
    }

    /** Records a finished span: its operation duration, tokens and cost. Drainer thread only. */
    public void record(Span span) {
        String method = span.method.name;
        String tool = span.toolName;
        String[] operation = fill(operationValues, method, tool, span.promptName,
                span.errorType != null ? span.errorType : Span.STATUS_ERROR.equals(span.status) ? OTHER_ERROR : null,
                span.protocolVersion, networkTransport(span.transport));
        (span.isServer() ? serverOperation : clientOperation).record(span.durationNanos(), operation);
        if (span.promptTokens > 0) {
            tokens.add(span.promptTokens, fill(tokenValues, method, tool, "input"));
        }
        if (span.completionTokens > 0) {
            tokens.add(span.completionTokens, fill(tokenValues, method, tool, "output"));
        }
        if (span.costUsd != null) {
            cost.add(span.costUsd, fill(costValues, method, tool));
        }
    }

    private static String[] fill(String[] values, String a, String b, String c, String d, String e, String f) {
        values[0] = a;
        values[1] = b;
        values[2] = c;
        values[3] = d;
        values[4] = e;
        values[5] = f;
        return values;
    }

    private static String[] fill(String[] values, String a, String b, String c) {
        values[0] = a;
        values[1] = b;
        values[2] = c;
        return values;
    }

    private static String[] fill(String[] values, String a, String b) {
        values[0] = a;
        values[1] = b;
        return values;
    }

    /**
     * Records the duration of an MCP session that ended: {@code server} for a session a server served (else a client's),
     * from its {@code initialize} until its transport closed it (or the JVM exited). {@code transport} is a span's
     * transport value ({@link Transports}: {@code stdio} becomes {@code network.transport=pipe}, the HTTP transports
     * {@code tcp}); {@code protocolVersion} and {@code errorType} may be null. Drainer thread only, like every recording:
     * a session that ends on a request thread must be handed to the drainer (e.g. through the span queue) and recorded
     * there.
     */
    public void recordSessionDuration(boolean server, long durationNanos, String transport, String protocolVersion,
                                      String errorType) {
        (server ? serverSession : clientSession).record(durationNanos,
                fill(sessionValues, protocolVersion, networkTransport(transport), errorType));
    }

    /**
     * The conventions' {@code network.transport}: {@code pipe} for stdio, {@code tcp} for the HTTP transports (HTTP+SSE,
     * streamable and stateless HTTP); null when the span's transport is not known.
     */
    public static String networkTransport(String transport) {
        if (transport == null) {
            return null;
        }
        switch (transport) {
            case Transports.STDIO:
                return "pipe";
            case Transports.SSE:
            case Transports.STREAMABLE_HTTP:
            case Transports.STATELESS_HTTP:
                return "tcp";
            default:
                return null;
        }
    }
}
