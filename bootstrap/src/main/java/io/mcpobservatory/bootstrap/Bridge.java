package io.mcpobservatory.bootstrap;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The static entry points that advice inlined into MCP SDK classes calls. Everything here takes SDK objects as
 * {@code Object} and reads them through {@link Accessors}, so one agent serves every SDK release and class loader.
 *
 * <p>Every method is cheap and never throws into the caller (advice suppresses Throwable as a second line of defence).
 * Nothing here blocks or does I/O: a finished span is handed to the {@link SpanSink}, whose job is to queue it.
 */
public final class Bridge {

    /** Key of the current span in a Project Reactor {@code Context}: the span follows the work across threads. */
    public static final String SPAN_CONTEXT_KEY = "io.mcpobservatory.span";

    private static final String STREAMABLE_TRANSPORT = "io.modelcontextprotocol.spec.McpStreamableServerTransport";
    private static final String STREAMABLE_SESSION = "io.modelcontextprotocol.spec.McpStreamableServerSession";
    private static final String STREAM_CLASS_SUFFIX = "$McpStreamableServerSessionStream";

    private static volatile SpanSink sink;

    /** Session object (classic, streamable) → what its initialize told us. */
    private static final WeakIdentityMap<Object, SessionInfo> SESSIONS = new WeakIdentityMap<>();

    /**
     * Streamable HTTP answers are only visible when written to the per-request transport, so requests whose Mono
     * completes without giving the response wait here, by transport object and JSON-RPC id, for the response.
     */
    private static final WeakIdentityMap<Object, Map<Object, Span>> AWAITING_RESPONSE = new WeakIdentityMap<>();

    /** Whether a streamable session class routes requests through its stream's own {@code handle} (SDK 1.x and later). */
    private static final ClassValue<Boolean> STREAM_HANDLES = new ClassValue<>() {
        @Override
        protected Boolean computeValue(Class<?> sessionClass) {
            try {
                Class<?> stream = Class.forName(sessionClass.getName() + STREAM_CLASS_SUFFIX, false,
                        sessionClass.getClassLoader());
                for (java.lang.reflect.Method method : stream.getDeclaredMethods()) {
                    if (method.getName().equals("handle")) {
                        return Boolean.TRUE;
                    }
                }
            } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
                // no nested stream class: the session handles requests itself
            }
            return Boolean.FALSE;
        }
    };

    /**
     * The server span whose tool code is running on this thread, set and restored strictly around the synchronous call
     * of a tool handler ({@link #enterTool}/{@link #exitTool}), never left behind: requests that code sends (a client
     * call to another server, a sampling request) become its children. Work that hops threads is not followed this
     * way; it is only for the frames in which the SDK runs the application's handler.
     */
    private static final ThreadLocal<Span> CURRENT = new ThreadLocal<>();

    /**
     * The {@code traceparent} HTTP header of the request an SDK servlet is handling on this thread, set and restored
     * around its {@code doPost} (which handles the message synchronously): the fallback when {@code _meta} has none.
     */
    private static final ThreadLocal<Object> HTTP_TRACEPARENT = new ThreadLocal<>();

    private static final ClassValue<java.lang.reflect.Method> GET_HEADER = new ClassValue<>() {
        @Override
        protected java.lang.reflect.Method computeValue(Class<?> type) {
            try {
                java.lang.reflect.Method method = type.getMethod("getHeader", String.class);
                method.setAccessible(true);
                return method;
            } catch (ReflectiveOperationException | RuntimeException e) {
                return null;
            }
        }
    };

    /**
     * A stateless server passes each request's {@code McpTransportContext} where the others pass a per-request exchange;
     * but the SDK's default context extractor gives every request the same {@code McpTransportContext.EMPTY}, which
     * must never key a request's span (concurrent requests would take each other's). Per class: that shared instance.
     */
    private static final ClassValue<Object> SHARED_CONTEXT = new ClassValue<>() {
        @Override
        protected Object computeValue(Class<?> type) {
            for (Class<?> c = type; c != null; c = c.getSuperclass()) {
                for (Class<?> contract : c.getInterfaces()) {
                    if (contract.getName().equals("io.modelcontextprotocol.common.McpTransportContext")) {
                        try {
                            return contract.getField("EMPTY").get(null);
                        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
                            return SHARED_CONTEXT; // none readable: nothing is that instance
                        }
                    }
                }
            }
            return SHARED_CONTEXT;
        }
    };

    /** A tools/call span by its params object (the same map reaches the SDK's dispatch), then by the exchange made for it. */
    private static final WeakIdentityMap<Object, Span> BY_PARAMS = new WeakIdentityMap<>();
    private static final WeakIdentityMap<Object, Span> BY_EXCHANGE = new WeakIdentityMap<>();
    /** A client span by the params object it sent (our copy with the traceparent), until the transport sends it. */
    private static final WeakIdentityMap<Object, Span> SENT_PARAMS = new WeakIdentityMap<>();

    private Bridge() {
    }

    // ---------------------------------------------------------------------------------------------------------------
    // The span of the tool code running on this thread

    /**
     * {@code McpAsyncServer}'s tools/call dispatch, {@code (exchange, params)}: links the exchange to the request's
     * span and makes it current while the dispatch runs (an async handler is called here). Returns the span that was
     * current before, for {@link #exitTool}.
     */
    public static Span enterToolDispatch(Object exchange, Object params) {
        Span previous = CURRENT.get();
        Span span = params == null ? null : BY_PARAMS.get(params);
        if (span != null) {
            if (exchange != null && exchange != SHARED_CONTEXT.get(exchange.getClass())) {
                BY_EXCHANGE.put(exchange, span);
            }
            CURRENT.set(span);
        }
        return previous;
    }

    /** The sync tool's callable on its worker thread, {@code (spec, exchange, request)}: its span is current there. */
    public static Span enterTool(Object exchange) {
        Span previous = CURRENT.get();
        Span span = exchange == null ? null : BY_EXCHANGE.get(exchange);
        if (span != null) {
            CURRENT.set(span);
        }
        return previous;
    }

    /** An SDK servlet's {@code doPost(request, response)}: its {@code traceparent} header; returns the previous value. */
    public static Object enterHttp(Object request) {
        Object previous = HTTP_TRACEPARENT.get();
        Object header = null;
        java.lang.reflect.Method getHeader = request == null ? null : GET_HEADER.get(request.getClass());
        if (getHeader != null) {
            try {
                header = getHeader.invoke(request, TraceParent.KEY);
            } catch (ReflectiveOperationException | RuntimeException e) {
                header = null;
            }
        }
        HTTP_TRACEPARENT.set(header);
        return previous;
    }

    public static void exitHttp(Object previous) {
        if (previous == null) {
            HTTP_TRACEPARENT.remove();
        } else {
            HTTP_TRACEPARENT.set(previous);
        }
    }

    /** Joins the caller's trace: {@code traceparent} in {@code _meta}, else the HTTP header, else a new trace. */
    private static void joinCallerTrace(Span span, Object params) {
        if (!TraceParent.join(span, TraceParent.find(params))) {
            TraceParent.join(span, HTTP_TRACEPARENT.get());
        }
    }

    public static void exitTool(Span previous) {
        if (previous == null) {
            CURRENT.remove();
        } else {
            CURRENT.set(previous);
        }
    }

    public static void install(SpanSink newSink) {
        sink = newSink;
    }

    /** False until the agent installed its pipeline, and after it was switched off: advice then does nothing. */
    public static boolean active() {
        return sink != null;
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Server side: classic sessions (stdio, HTTP+SSE)

    /**
     * {@code McpServerSession.handleIncomingRequest} and {@code handleIncomingNotification}: a message of a stdio or SSE
     * session. Notifications are spans too, without a request id.
     */
    public static Span sessionMessage(Object session, Object sessionTransport, Object message) {
        if (sink == null || message == null) {
            return null;
        }
        Span span = startServerSpan(sessionInfo(session, sessionTransport), message);
        span.session = session;
        return span;
    }

    private static SessionInfo sessionInfo(Object session, Object sessionTransport) {
        SessionInfo info = SESSIONS.computeIfAbsent(session, s -> new SessionInfo());
        if (info.transport == null) {
            info.transport = Transports.ofSessionTransport(sessionTransport);
            info.sessionId = Accessors.callString(session, "getId");
        }
        return info;
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Server side: streamable HTTP

    /** {@code DefaultMcpStreamableServerSessionFactory.startSession}: initialize never reaches a streamable session. */
    public static Span streamableInitialize(Object initializeRequest) {
        if (sink == null) {
            return null;
        }
        Span span = Span.start(Span.KIND_SERVER, "initialize", null);
        joinCallerTrace(span, initializeRequest);
        span.transport = Transports.STREAMABLE_HTTP;
        SessionInfo probe = new SessionInfo();
        probe.learnFromInitialize(initializeRequest);
        span.clientName = probe.clientName;
        span.clientVersion = probe.clientVersion;
        span.protocolVersion = probe.protocolVersion;
        return span;
    }

    /** The session {@code startSession} created: remember the client for the session's later requests. */
    public static void streamableSessionStarted(Span span, Object session) {
        if (span == null || session == null) {
            return;
        }
        SessionInfo info = SESSIONS.computeIfAbsent(session, s -> new SessionInfo());
        info.transport = Transports.STREAMABLE_HTTP;
        info.sessionId = Accessors.callString(session, "getId");
        info.clientName = span.clientName;
        info.clientVersion = span.clientVersion;
        info.protocolVersion = span.protocolVersion;
        span.sessionId = info.sessionId;
        span.session = session;
    }

    /**
     * A request handled by a streamable session: {@code McpStreamableServerSessionStream.handle} (SDK 1.x+, where
     * {@code stream} is given) or {@code McpStreamableServerSession.responseStream} (0.x, {@code stream} null).
     */
    public static Span streamableRequest(Object session, Object stream, Object transport, Object request) {
        if (sink == null || request == null || session == null) {
            return null;
        }
        if (stream == null && STREAM_HANDLES.get(session.getClass())) {
            return null; // the stream's handle(...) records this request; counting here too would double it
        }
        if (transport == null && stream != null) {
            transport = Accessors.fieldOfType(stream, STREAMABLE_TRANSPORT);
        }
        SessionInfo info = SESSIONS.computeIfAbsent(session, s -> new SessionInfo());
        if (info.transport == null) {
            info.transport = Transports.STREAMABLE_HTTP;
            info.sessionId = Accessors.callString(session, "getId");
        }
        Span span = startServerSpan(info, request);
        if (transport != null && span.requestId != null) {
            AWAITING_RESPONSE.computeIfAbsent(transport, t -> new ConcurrentHashMap<>(2)).put(span.requestId, span);
            span.pendingOn = transport;
        }
        return span;
    }

    /** {@code McpStreamableServerSession.accept(JSONRPCNotification)}. */
    public static Span streamableNotification(Object session, Object notification) {
        if (sink == null || notification == null) {
            return null;
        }
        SessionInfo info = SESSIONS.computeIfAbsent(session, s -> new SessionInfo());
        if (info.transport == null) {
            info.transport = Transports.STREAMABLE_HTTP;
            info.sessionId = Accessors.callString(session, "getId");
        }
        return startServerSpan(info, notification);
    }

    /** {@code McpStreamableServerTransport.sendMessage}: a response written for a request we are timing. */
    public static void outgoingMessage(Object transport, Object message) {
        if (sink == null || message == null) {
            return;
        }
        Map<Object, Span> awaiting = AWAITING_RESPONSE.get(transport);
        if (awaiting == null || awaiting.isEmpty() || !Accessors.has(message, "error")) {
            return; // not a response, or not one we wait for
        }
        Span span = awaiting.remove(Accessors.call(message, "id"));
        if (span != null) {
            applyResponse(span, message);
        }
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Server side: stateless HTTP

    /** {@code McpStatelessServerHandler.handleRequest} and {@code handleNotification}: no session, no client info. */
    public static Span statelessMessage(Object message) {
        if (sink == null || message == null) {
            return null;
        }
        SessionInfo none = new SessionInfo();
        none.transport = Transports.STATELESS_HTTP;
        return startServerSpan(none, message);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Client side

    /**
     * {@code McpClientSession.sendRequest(method, params, typeRef)}: one client span per request, whichever client API
     * (sync or async) sent it, since both end here. The caller then sends {@link #propagate} of the params.
     */
    public static Span clientRequest(Object session, String method, Object params) {
        if (sink == null || method == null) {
            return null;
        }
        Span span = Span.start(Span.KIND_CLIENT, Span.limit(method), CURRENT.get());
        SessionInfo info = SESSIONS.computeIfAbsent(session, s -> new SessionInfo());
        if (info.transport == null) {
            info.transport = Transports.ofClientTransport(
                    Accessors.fieldOfType(session, "io.modelcontextprotocol.spec.McpClientTransport"));
        }
        info.copyTo(span);
        span.session = session;
        nameTarget(span, method, params);
        return span;
    }

    /**
     * {@code McpClientSession.handleIncomingRequest}: a request the server sent this client (sampling, elicitation,
     * roots), a span of kind server here, joined to the server's trace by its {@code traceparent}.
     */
    public static Span clientIncomingRequest(Object session, Object request) {
        if (sink == null || request == null) {
            return null;
        }
        Span span = startServerSpan(SESSIONS.computeIfAbsent(session, s -> new SessionInfo()), request);
        span.session = session;
        return span;
    }

    /**
     * The params to send instead: the same request with the span's {@code traceparent} in {@code _meta}. Remembered, so
     * that the transport's {@link #clientMessageSent} can tell the span its JSON-RPC id (generated inside the SDK).
     */
    public static Object propagate(Span span, Object params) {
        if (span == null) {
            return params;
        }
        Object sent = TraceParent.inject(params, span);
        if (sent != null && sent != params) {
            SENT_PARAMS.put(sent, span);
        }
        return sent;
    }

    /** {@code McpClientTransport.sendMessage(message)}: a request whose params we made carries its span's request id. */
    public static void clientMessageSent(Object message) {
        if (sink == null || message == null) {
            return;
        }
        Object params = Accessors.call(message, "params");
        Span span = params == null ? null : SENT_PARAMS.remove(params);
        if (span != null && span.requestId == null) {
            Object id = Accessors.call(message, "id");
            span.requestId = id instanceof String ? Span.limit((String) id) : id;
        }
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Server-to-client requests (sampling, elicitation, roots)

    /**
     * {@code sendRequest(method, params, typeRef)} of a server session or of a streamable request stream: a span of kind
     * client, since the server is the one asking. Its Mono emits the typed result (or errors), see {@link #completed}.
     */
    public static Span serverToClientRequest(Object sessionOrStream, String method, Object params) {
        if (sink == null || method == null) {
            return null;
        }
        Span span = Span.start(Span.KIND_CLIENT, Span.limit(method), CURRENT.get());
        Object session = sessionOrStream.getClass().getName().endsWith(STREAM_CLASS_SUFFIX)
                ? Accessors.fieldOfType(sessionOrStream, STREAMABLE_SESSION) : sessionOrStream;
        SessionInfo info = session == null ? null : SESSIONS.get(session);
        if (info != null) {
            info.copyTo(span);
        }
        PayloadCapture.outgoingRequest(span, params);
        return span;
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Common

    private static Span startServerSpan(SessionInfo info, Object message) {
        String method = Accessors.callString(message, "method");
        Span span = Span.start(Span.KIND_SERVER,
                method == null ? "unknown" : Span.limit(method), null);
        info.copyTo(span);
        Object id = Accessors.call(message, "id");
        span.requestId = id instanceof String ? Span.limit((String) id) : id;
        Object params = Accessors.call(message, "params");
        joinCallerTrace(span, params);
        if (method != null && params != null) {
            if ("tools/call".equals(method)) {
                BY_PARAMS.put(params, span); // for the dispatch, which gets the same params object
            }
            nameTarget(span, method, params);
            if ("initialize".equals(method)) {
                info.learnFromInitialize(params);
                info.copyTo(span);
            }
        }
        return span;
    }

    /** What a request targets (tool, prompt, resource), from its params (a map or a request record); tool arguments. */
    private static void nameTarget(Span span, String method, Object params) {
        if (params == null) {
            return;
        }
        switch (method) {
            case "tools/call":
                span.toolName = SessionInfo.asString(Accessors.param(params, "name"));
                PayloadCapture.request(span, params);
                break;
            case "prompts/get":
                span.promptName = SessionInfo.asString(Accessors.param(params, "name"));
                break;
            case "resources/read":
            case "resources/subscribe":
            case "resources/unsubscribe":
                span.resourceUri = SessionInfo.asString(Accessors.param(params, "uri"));
                break;
            default:
                break;
        }
    }

    /** Reads a JSON-RPC response: its error, or a tool result's {@code isError}, or initialize's negotiated version. */
    static void applyResponse(Span span, Object response) {
        if (span.outcomeKnown) {
            return;
        }
        Object error = Accessors.call(response, "error");
        if (error != null) {
            Object code = Accessors.call(error, "code");
            span.failRpc(code instanceof Number ? ((Number) code).intValue() : -32603,
                    Accessors.callString(error, "message"));
            return;
        }
        applyResult(span, Accessors.call(response, "result"));
    }

    /**
     * Reads a successful result: a tool's {@code isError}, or the protocol version initialize negotiated; and what of it
     * goes into the model's context, for its tokens.
     */
    static void applyResult(Span span, Object result) {
        if (span.outcomeKnown) {
            return;
        }
        PayloadCapture.result(span, result);
        if ("tools/call".equals(span.method) && Boolean.TRUE.equals(Accessors.param(result, "isError"))) {
            span.status = Span.STATUS_ERROR;
            span.errorType = "tool_error";
            span.errorMessage = firstText(result);
        } else if ("initialize".equals(span.method)) {
            String negotiated = SessionInfo.asString(Accessors.param(result, "protocolVersion"));
            if (negotiated != null) {
                span.protocolVersion = negotiated;
                updateSessionProtocol(span, negotiated); // the session's later spans carry the negotiated version
            }
            if (Span.KIND_CLIENT.equals(span.kind)) {
                learnServer(span, Accessors.param(result, "serverInfo"));
            }
        }
        span.outcomeKnown = true;
    }

    /** Client side: the server's name and version, for this span and the session's later ones. */
    private static void learnServer(Span span, Object serverInfo) {
        span.serverName = SessionInfo.asString(Accessors.param(serverInfo, "name"));
        span.serverVersion = SessionInfo.asString(Accessors.param(serverInfo, "version"));
        SessionInfo info = span.session == null ? null : SESSIONS.get(span.session);
        if (info != null) {
            info.serverName = span.serverName;
            info.serverVersion = span.serverVersion;
        }
    }

    private static void updateSessionProtocol(Span span, String negotiated) {
        Object session = span.session;
        if (session != null) {
            SessionInfo info = SESSIONS.get(session);
            if (info != null) {
                info.protocolVersion = negotiated;
            }
        }
    }

    /** The first text content of a tool result, as the error message of a {@code tool_error} (bounded). */
    private static String firstText(Object result) {
        Object content = Accessors.param(result, "content");
        if (content instanceof java.util.List && !((java.util.List<?>) content).isEmpty()) {
            Object text = Accessors.param(((java.util.List<?>) content).get(0), "text");
            if (text != null) {
                String s = text.toString();
                return s.length() > 512 ? s.substring(0, 512) : s;
            }
        }
        return null;
    }

    /** Completion of the Mono that carries a request: {@code value} is the response where the Mono emits one. */
    public static void completed(Span span, Object value) {
        if (span == null || span.isEnded()) { // a late signal must not touch a published span
            return;
        }
        if (value != null) {
            if (Span.KIND_CLIENT.equals(span.kind)) {
                applyResult(span, value); // a request we sent: its Mono emits the typed result itself
            } else {
                applyResponse(span, value);
            }
        }
        finish(span);
    }

    /** Completion of streamable HTTP's initialize, whose Mono emits the InitializeResult itself. */
    public static void initialized(Span span, Object initializeResult) {
        if (span == null || span.isEnded()) { // a late signal must not touch a published span
            return;
        }
        if (initializeResult != null) {
            applyResult(span, initializeResult);
        }
        finish(span);
    }

    public static void failed(Span span, Throwable error) {
        if (span == null || span.isEnded()) { // a late signal must not touch a published span
            return;
        }
        if (!span.outcomeKnown && error != null) {
            failWith(span, error);
        }
        finish(span);
    }

    /**
     * An error signal: the SDK's {@code McpError} carries the JSON-RPC error the other side answered (its code is the
     * error type, as on server spans); a request timeout is {@code timeout}; anything else (a transport failure) is the
     * exception class.
     */
    private static void failWith(Span span, Throwable error) {
        Object rpcError = Accessors.call(error, "getJsonRpcError");
        Object code = Accessors.call(rpcError, "code");
        if (code instanceof Number) {
            span.failRpc(((Number) code).intValue(), Accessors.callString(rpcError, "message"));
        } else if (error instanceof java.util.concurrent.TimeoutException) {
            span.fail(error);
            span.errorType = "timeout";
        } else {
            span.fail(error);
        }
    }

    public static void cancelled(Span span) {
        if (span == null || span.isEnded()) { // a late signal must not touch a published span
            return;
        }
        if (!span.outcomeKnown) {
            span.status = Span.STATUS_ERROR;
            span.errorType = "cancelled";
        }
        finish(span);
    }

    private static void finish(Span span) {
        if (!span.end()) {
            return;
        }
        Object pendingOn = span.pendingOn;
        if (pendingOn != null) {
            Map<Object, Span> awaiting = AWAITING_RESPONSE.get(pendingOn);
            if (awaiting != null) {
                awaiting.remove(span.requestId, span);
            }
            span.pendingOn = null;
        }
        span.session = null;
        SpanSink current = sink;
        if (current != null) {
            current.accept(span);
        }
    }
}
