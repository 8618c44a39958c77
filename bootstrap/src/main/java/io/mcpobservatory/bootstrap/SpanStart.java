package io.mcpobservatory.bootstrap;

/**
 * Opens spans: reads a JSON-RPC message once (method, id, params) and lets the method's entry in {@link McpMethod} read
 * what its params contribute. A received message is a server span in the caller's trace ({@link CallerTrace}); a sent
 * request is a client span, child of the span current on the sending thread ({@link CurrentSpan}).
 */
final class SpanStart {

    private static final Accessor ID = Accessor.named("id");
    private static final Accessor METHOD = Accessor.named("method");
    private static final Accessor PARAMS = Accessor.named("params");

    private SpanStart() {
    }

    /** A request or notification received; {@code info} is its session's (null on stateless servers). */
    static Span received(SessionInfo info, Object session, Object message) {
        String name = METHOD.callString(message);
        Span span = Span.start(Span.KIND_SERVER, McpMethod.of(name == null ? "unknown" : name), null);
        if (info != null) {
            info.copyTo(span);
        }
        span.session = session;
        span.requestId = requestId(ID.call(message));
        Object params = PARAMS.call(message);
        CallerTrace.join(span, params, message);
        span.method.readParams(span, params);
        return span;
    }

    /** A request about to be sent: by a client, or by a server to its client (sampling, elicitation, roots). */
    static Span sent(SessionInfo info, Object session, String method, Object params) {
        Span span = Span.start(Span.KIND_CLIENT, McpMethod.of(method), CurrentSpan.get());
        if (info != null) {
            info.copyTo(span);
        }
        span.session = session;
        span.method.readParams(span, params);
        return span;
    }

    /** The JSON-RPC id as the SDK holds it (a number or a string, cut like any text from outside). */
    static Object requestId(Object id) {
        return id instanceof String ? Span.limit((String) id) : id;
    }
}
