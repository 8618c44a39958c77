package io.mcpobservatory.bootstrap;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Spans of SDK 2.2's modern API ({@code io.modelcontextprotocol.modern}, protocol revision 2026-07-28). It has no
 * sessions and no {@code initialize}: every request carries the client's name, its protocol version and its
 * capabilities in {@code params._meta}, so a server span reads them there, from the request itself; its transport comes
 * from the SDK frame it is handled in ({@link ModernFrames}).
 */
final class ModernRequests {

    static final String CLIENT_INFO = "io.modelcontextprotocol/clientInfo";
    static final String PROTOCOL_VERSION = "io.modelcontextprotocol/protocolVersion";
    static final String SERVER_INFO = "io.modelcontextprotocol/serverInfo";
    /** The type of the client's transport field ({@code JsonRpcRequestSender.transport}). */
    static final String CLIENT_TRANSPORT = "io.modelcontextprotocol.modern.client.transport.McpClientTransport";
    private static final Accessor ID = Accessor.named("id");
    private static final Accessor METHOD = Accessor.named("method");
    private static final Accessor PARAMS = Accessor.named("params");
    private static final Accessor TRANSPORT_CONTEXT = Accessor.named("transportContext");
    private static final Accessor META = Accessor.named("meta");
    private static final Accessor NAME = Accessor.named("name");
    private static final Accessor VERSION = Accessor.named("version");

    private ModernRequests() {
    }

    /** A request a modern server received ({@code McpServer.handle}). */
    static Span received(Object request) {
        String name = METHOD.callString(request);
        Span span = Span.start(Span.KIND_SERVER, McpMethod.of(name == null ? "unknown" : name), null);
        span.transport = ModernFrames.transport();
        span.requestId = SpanStart.requestId(ID.call(request));
        Object params = PARAMS.call(request);
        CallerTrace.joinModern(span, params, ModernFrames.servletRequest());
        Object meta = Accessors.param(params, TraceParent.META);
        Object clientInfo = Accessors.param(meta, CLIENT_INFO);
        span.clientName = Accessors.text(NAME.param(clientInfo));
        span.clientVersion = Accessors.text(VERSION.param(clientInfo));
        span.protocolVersion = Accessors.text(Accessors.param(meta, PROTOCOL_VERSION));
        span.method.readParams(span, params);
        // the server converts params to a new map before a tool sees them: no dispatch frame will look this one up
        CurrentSpan.forgetToolCall(params);
        return span;
    }

    /** The {@code McpTransportContext} of a modern server's {@code McpRequestContext}. */
    static Object transportContext(Object requestContext) {
        return TRANSPORT_CONTEXT.call(requestContext);
    }

    /** A request a modern client sends ({@code JsonRpcRequestSender.send}): a child of the span current here, if any. */
    static Span sent(Object sender, String method, Object params) {
        Span span = SpanStart.sent(null, null, method, params);
        span.transport = Transports.ofModernClientTransport(Accessors.fieldOfType(sender, CLIENT_TRANSPORT));
        return span;
    }

    /**
     * The {@code _meta} entries to send instead of {@code meta}: a copy with the span's {@code traceparent}. The SDK
     * merges them into the request's {@code _meta} when the request is built, at subscription, so the copy is kept as the
     * span's {@code sentMeta}: a parent learnt at subscription ({@link ReactorTrace}) still reaches the request.
     */
    static Object withTraceParent(Span span, Object meta) {
        if (meta != null && !(meta instanceof Map)) {
            return meta;
        }
        SpanMeta copy = TraceParent.meta(meta, span, new SpanMeta(span));
        span.sentMeta = copy;
        return copy;
    }

    /**
     * The client builds the request from those entries ({@code JsonRpcRequestSender.message}, at subscription, once per
     * round): its span, if the entries are the copy {@link #withTraceParent} made; null otherwise.
     */
    static Span building(Object meta) {
        return meta instanceof SpanMeta ? ((SpanMeta) meta).span : null;
    }

    /** The request is built: the span gets its JSON-RPC id (the last round's), and its trace context is final. */
    static void built(Span span, Object request) {
        span.sentMeta = null;
        Object id = ID.call(request);
        if (id != null) {
            span.requestId = SpanStart.requestId(id);
        }
    }

    /**
     * The server's name and version, from a result a modern client received: a modern server puts its
     * {@code Implementation} in every result's {@code _meta} (there is no handshake to learn it from).
     */
    static void serverInfo(Span span, Object result) {
        Object meta = result instanceof Map ? ((Map<?, ?>) result).get(TraceParent.META) : META.call(result);
        Object server = meta instanceof Map ? ((Map<?, ?>) meta).get(SERVER_INFO) : null;
        if (server != null) {
            span.serverName = Accessors.text(NAME.param(server));
            span.serverVersion = Accessors.text(VERSION.param(server));
        }
    }

    /**
     * The {@code _meta} entries of a sent request, which know their span: the SDK only reads them, merging them into the
     * {@code _meta} it builds, so the span is found without a map, and goes when the request's Mono does.
     */
    static final class SpanMeta extends LinkedHashMap<String, Object> {
        private static final long serialVersionUID = 1L;

        final transient Span span;

        SpanMeta(Span span) {
            this.span = span;
        }
    }
}
