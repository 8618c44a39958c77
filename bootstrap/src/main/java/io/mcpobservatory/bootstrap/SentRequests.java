package io.mcpobservatory.bootstrap;

/**
 * Requests this JVM sends (as a client, or as a server asking its client): they carry their span's {@code traceparent}
 * in {@code params._meta}, so the receiver joins the trace; and the JSON-RPC id the SDK generates for them is learnt
 * where the transport sends them, by the params object we made (the transport's message holds that very object).
 */
final class SentRequests {

    /** A client span by the params object it sent (our copy with the traceparent), until the transport sends it. */
    private static final WeakIdentityMap<Object, Span> BY_PARAMS = new WeakIdentityMap<>();

    private SentRequests() {
    }

    /** The params to send instead: a copy with the span's {@code traceparent} in {@code _meta} (see {@link TraceParent#inject}). */
    static Object propagate(Span span, Object params) {
        Object sent = TraceParent.inject(params, span);
        if (sent != null && sent != params) {
            BY_PARAMS.put(sent, span);
        }
        return sent;
    }

    /** The transport sends a message: a request whose params we made gives its span the request id. */
    static void sending(Object message) {
        Object params = Accessors.call(message, "params");
        Span span = params == null ? null : BY_PARAMS.remove(params);
        if (span != null && span.requestId == null) {
            span.requestId = SpanStart.requestId(Accessors.call(message, "id"));
        }
    }
}
