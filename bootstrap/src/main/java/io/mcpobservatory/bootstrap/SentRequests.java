package io.mcpobservatory.bootstrap;

/**
 * Requests this JVM sends (as a client, or as a server asking its client): they carry their span's {@code traceparent}
 * in {@code params._meta}, so the receiver joins the trace; and the JSON-RPC id the SDK generates for them is learnt
 * where the transport sends them, by the params object we made (the transport's message holds that very object).
 */
final class SentRequests {

    private static final Accessor ID = Accessor.named("id");
    private static final Accessor PARAMS = Accessor.named("params");

    /** A client span by the params object it sent (our copy with the traceparent), until the transport sends it. */
    private static final WeakIdentityMap<Object, Span> BY_PARAMS = new WeakIdentityMap<>();

    private SentRequests() {
    }

    /** The params to send instead: a copy with the span's {@code traceparent} in {@code _meta} (see {@link TraceParent#inject}). */
    static Object propagate(Span span, Object params) {
        Object sent = TraceParent.inject(params, span);
        if (sent != null && sent != params) {
            BY_PARAMS.put(sent, span);
            span.sentMeta = TraceParent.metaOf(sent);
        }
        return sent;
    }

    /** The span's trace changed before its request was built: its {@code _meta} names the new one. */
    static void retraced(Span span) {
        java.util.Map<String, Object> meta = span.sentMeta;
        if (meta != null) {
            meta.put(TraceParent.KEY, TraceParent.format(span));
        }
    }

    /** The transport sends a message: a request whose params we made gives its span the request id. */
    static void sending(Object message) {
        Object params = PARAMS.call(message);
        Span span = params == null ? null : BY_PARAMS.remove(params);
        if (span != null) {
            span.sentMeta = null; // the request is built: its trace context is what it is
            if (span.requestId == null) {
                span.requestId = SpanStart.requestId(ID.call(message));
            }
        }
    }
}
