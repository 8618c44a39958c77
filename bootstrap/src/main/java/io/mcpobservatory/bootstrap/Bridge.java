package io.mcpobservatory.bootstrap;

/**
 * The static entry points that advice written into MCP SDK classes calls: one per instrumentation point, each a few
 * lines handing over to the class that does the job ({@link Sessions}, {@link SpanStart}, {@link SpanEnd},
 * {@link CurrentSpan}, {@link CallerTrace}, {@link StreamableResponses}, {@link SentRequests}); what each MCP method
 * means is {@link McpMethod}'s table. SDK objects arrive as {@code Object} and are read by member name
 * ({@link Accessors}), so one agent serves every SDK release and class loader.
 *
 * <p>Every method is cheap. What one throws never reaches the caller: the advice drops it, and the SDK method runs as it
 * would have.
 * Nothing here blocks or does I/O: a finished span is handed to the {@link SpanSink}, whose job is to queue it.
 */
public final class Bridge {

    private static volatile SpanSink sink;

    /** The attribute naming the class of an exception a tool threw and its framework answered (OpenTelemetry's key). */
    static final String EXCEPTION_TYPE = "exception.type";

    private Bridge() {
    }

    public static void install(SpanSink newSink) {
        sink = newSink;
    }

    /** False until the agent installed its pipeline, and after it was switched off: advice then does nothing. */
    public static boolean active() {
        return sink != null;
    }

    static void publish(Span span) {
        SpanSink current = sink;
        if (current != null) {
            current.accept(span);
        }
    }

    // Sessions ------------------------------------------------------------------------------------------------------

    /**
     * {@code close()}, {@code closeGracefully()} or {@code delete()} of a server or client session: the session ended
     * (recorded at the call; a graceful close's own wait is not part of the session).
     */
    public static void sessionClosed(Object session) {
        SpanSink current = sink;
        if (current == null || session == null) {
            return;
        }
        SessionEnd end = Sessions.closed(session);
        if (end != null) {
            current.sessionEnded(end);
        }
    }

    /** The JVM exits: sessions still open end now (called by the agent's shutdown, before the pipeline's flush). */
    public static void endOpenSessions() {
        SpanSink current = sink;
        if (current != null) {
            Sessions.endOpen(current::sessionEnded);
        }
    }

    // Server side ---------------------------------------------------------------------------------------------------

    /** {@code McpServerSession.handleIncomingRequest} / {@code handleIncomingNotification}: stdio and HTTP+SSE. */
    public static Span sessionMessage(Object session, Object sessionTransport, Object message) {
        if (sink == null || message == null) {
            return null;
        }
        return SpanStart.received(Sessions.classic(session, sessionTransport),
                session, message);
    }

    /** {@code McpStreamableServerSession.Factory.startSession}: initialize never reaches a streamable session. */
    public static Span streamableInitialize(Object initializeRequest) {
        if (sink == null) {
            return null;
        }
        Span span = Span.start(Span.KIND_SERVER, McpMethod.INITIALIZE, null);
        CallerTrace.join(span, initializeRequest);
        span.transport = Transports.STREAMABLE_HTTP;
        span.method.readParams(span, initializeRequest);
        return span;
    }

    /** The session {@code startSession} created: it remembers its client for the session's later requests. */
    public static void streamableSessionStarted(Span span, Object session) {
        if (span != null && session != null) {
            Sessions.startedBy(span, session);
        }
    }

    /** {@code McpStreamableServerSessionStream.handle(request)} (1.1.5, 2.1.0 and later); {@code this$0} is its session. */
    public static Span streamableStreamRequest(Object stream, Object session, Object request) {
        return streamableRequest(session, stream, null, request);
    }

    /** {@code McpStreamableServerSession.responseStream(request, transport)}: the releases whose stream has no handle. */
    public static Span streamableResponseStream(Object session, Object request, Object transport) {
        return streamableRequest(session, null, transport, request);
    }

    /**
     * A request of a streamable session: through its stream's {@code handle} ({@code stream} given) or through
     * {@code responseStream} ({@code stream} null, {@code transport} given).
     */
    private static Span streamableRequest(Object session, Object stream, Object transport, Object request) {
        if (sink == null || request == null || session == null) {
            return null;
        }
        if (stream == null && StreamableResponses.recordedByStream(session)) {
            return null;
        }
        Span span = SpanStart.received(Sessions.streamable(session), session, request);
        StreamableResponses.await(transport != null ? transport : StreamableResponses.transportOf(stream), span);
        return span;
    }

    /** {@code McpStreamableServerSession.accept(JSONRPCNotification)}. */
    public static Span streamableNotification(Object session, Object notification) {
        if (sink == null || notification == null) {
            return null;
        }
        return SpanStart.received(Sessions.streamable(session), session, notification);
    }

    /** {@code McpStreamableServerTransport.sendMessage}: a response written for a request we are timing. */
    public static void outgoingMessage(Object transport, Object message) {
        if (sink == null || message == null) {
            return;
        }
        Span span = StreamableResponses.answered(transport, message);
        if (span != null) {
            SpanEnd.response(span, message);
        }
    }

    /** {@code McpStatelessServerHandler.handleRequest} / {@code handleNotification}: no session, no client info. */
    public static Span statelessMessage(Object message) {
        if (sink == null || message == null) {
            return null;
        }
        Span span = SpanStart.received(null, null, message);
        span.transport = Transports.STATELESS_HTTP;
        return span;
    }

    /** {@code sendRequest(method, params, typeRef)} of a server session or request stream: sampling, elicitation, roots. */
    public static Span serverToClientRequest(Object sessionOrStream, String method, Object params) {
        if (sink == null || method == null) {
            return null;
        }
        Object session = StreamableResponses.sessionOf(sessionOrStream);
        return SpanStart.sent(Sessions.known(session), session, method, params);
    }

    // Client side ---------------------------------------------------------------------------------------------------

    /** {@code McpClientSession.sendRequest(method, params, typeRef)}: one span per request, sync or async client. */
    public static Span clientRequest(Object session, String method, Object params) {
        if (sink == null || method == null) {
            return null;
        }
        return SpanStart.sent(Sessions.client(session), session, method, params);
    }

    /** {@code McpClientSession.handleIncomingRequest}: a request the server sent this client (sampling, ...). */
    public static Span clientIncomingRequest(Object session, Object request) {
        if (sink == null || request == null) {
            return null;
        }
        return SpanStart.received(Sessions.client(session), session, request);
    }

    /** The params to send instead of {@code params}: the same request with the span's trace context in {@code _meta}. */
    public static Object propagate(Span span, Object params) {
        return span == null ? params : SentRequests.propagate(span, params);
    }

    /** {@code McpClientTransport.sendMessage(message)}: a request we made the params of learns its JSON-RPC id. */
    public static void clientMessageSent(Object message) {
        if (sink != null && message != null) {
            SentRequests.sending(message);
        }
    }

    // SDK 2.2's modern API (io.modelcontextprotocol.modern): no sessions, client info in each request's _meta ---------

    /** {@code McpServer.handle(context, request, blocking)}: every request of a modern server, on either transport. */
    public static Span modernRequest(Object context, Object request) {
        if (sink == null || request == null) {
            return null;
        }
        Span span = ModernRequests.received(request);
        if (span.method == McpMethod.TOOLS_CALL) {
            CurrentSpan.keyCall(context, span); // for a sync tool run where no Reactor scheduler makes it current
        }
        return span;
    }

    /**
     * The callable that runs a modern sync tool ({@code ToolsFeature}'s adapter lambda, given the request's
     * {@code McpRequestContext}): the call's span becomes current, found by the request's transport context. Returns the
     * previous one, for {@link #exitTool}.
     */
    public static Span enterModernTool(Object requestContext) {
        return CurrentSpan.enterCallable(ModernRequests.transportContext(requestContext));
    }

    /**
     * Exit of {@code McpServer.handle}: its {@code Mono<McpTransportResponse>} with the span's end attached (the response
     * it emits, or the end of the stream it emits), and a tools/call span in its Reactor context ({@link ReactorTrace}).
     */
    public static Object endModernRequest(Span span, Object work, Throwable thrown) throws Throwable {
        return endedNow(span, work, thrown) ? work : ReactorTrace.carry(span, ModernResponses.ending(span, work));
    }

    /** {@code HttpServletMcpTransport.doPost(request, response)}: returns the previous frame, for exit. */
    public static Object enterModernHttp(Object servletRequest) {
        return ModernFrames.enterHttp(servletRequest);
    }

    /** {@code StdioMcpTransport}'s lambda that hands a request to the manager: returns the previous frame, for exit. */
    public static Object enterModernStdio(Object transport) {
        return ModernFrames.enterStdio();
    }

    public static void exitModernFrame(Object previous) {
        ModernFrames.exit(previous);
    }

    /** {@code JsonRpcRequestSender.send(method, name, params, meta, ...)}: one span per request a modern client sends. */
    public static Span modernClientRequest(Object sender, String method, Object params) {
        if (sink == null || method == null) {
            return null;
        }
        return ModernRequests.sent(sender, method, params);
    }

    /** The {@code _meta} entries to send instead of {@code meta}: with the span's {@code traceparent}. */
    public static Object propagateMeta(Span span, Object meta) {
        return span == null ? meta : ModernRequests.withTraceParent(span, meta);
    }

    /** Entry of a modern client's {@code JsonRpcRequestSender.message}: the span of the request it builds, or null. */
    public static Span modernRequestBuilding(Object meta) {
        return ModernRequests.building(meta);
    }

    /** Its exit: the built request gives the span its JSON-RPC id. */
    public static Object modernRequestBuilt(Span span, Object request, Throwable thrown) {
        if (span != null && request != null) {
            ModernRequests.built(span, request);
        }
        return request;
    }

    /**
     * A modern sync client about to block on a request's Mono ({@code SyncClientRequester.await}): with a span current
     * here (a tool calling another server), the Mono to block on instead, carrying it in its Reactor context, where the
     * request, sent later from a Reactor thread, takes its parent ({@link ReactorTrace}).
     */
    public static Object inReactorContext(Span current, Object mono) throws Throwable {
        return current == null || mono == null ? mono : ReactorTrace.withSpan(mono, current);
    }

    // The span of the application code running on this thread, and the caller's HTTP trace header --------------------

    /** {@code McpAsyncServer}'s tools/call dispatch {@code (exchange, params)}; returns the previous span, for exit. */
    public static Span enterToolDispatch(Object exchange, Object params) {
        return CurrentSpan.enterDispatch(exchange, params);
    }

    /** A sync tool's callable on its worker thread, {@code (spec, exchange, request)}. */
    public static Span enterTool(Object exchange) {
        return CurrentSpan.enterCallable(exchange);
    }

    public static void exitTool(Span previous) {
        CurrentSpan.restore(previous);
    }

    /**
     * An SDK servlet's {@code doPost(request, response)}, a Spring WebMvc transport's {@code handleMessage} or
     * {@code handlePost(ServerRequest)}, the body callback of Spring's WebFlux streamable transport: its
     * {@code traceparent} header is current for the call; returns the previous value.
     */
    public static Object enterHttp(Object request) {
        return CallerTrace.enterHttp(request);
    }

    public static void exitHttp(Object previous) {
        CallerTrace.exitHttp(previous);
    }

    /** {@code McpSchema.deserializeJsonRpcMessage}, on entry: the header current on this thread, if any. */
    public static Object currentHttpTraceParent() {
        return CallerTrace.current();
    }

    /** ... on exit: the message read keeps that header for its span, which may start after this frame. */
    public static Object messageRead(Object header, Object message, Throwable thrown) {
        if (header != null && thrown == null) {
            CallerTrace.read(message, header);
        }
        return message;
    }

    /** A Spring WebFlux transport's {@code handleMessage} or {@code handlePost(ServerRequest)}, on entry: its header. */
    public static Object httpTraceParent(Object request) {
        return CallerTrace.header(request);
    }

    /** ... on exit: the Mono it returns, with the header in its Reactor context (for the spans of its message). */
    public static Object withHttpTraceParent(Object header, Object mono, Throwable thrown) throws Throwable {
        return header == null || mono == null || thrown != null ? mono : ReactorTrace.withHeader(mono, header);
    }

    // Spring AI's tool callbacks -------------------------------------------------------------------------------------

    /** Spring AI's {@code MethodToolCallback.call(input, context)}, on entry: the span current on this thread, if any. */
    public static Span currentSpan() {
        return CurrentSpan.get();
    }

    /**
     * ... on exit. Spring AI's MCP server answers what a {@code @Tool} method threw with an {@code isError} result (the
     * span's {@code tool_error}), which keeps only the message: the class goes into the tools/call span's
     * {@code exception.type} attribute (OpenTelemetry's name). MethodToolCallback wraps the method's exception in a
     * {@code ToolExecutionException}; the method's own is named.
     */
    public static Object toolCallbackReturned(Span span, Object result, Throwable thrown) {
        if (thrown != null) {
            Throwable cause = thrown.getCause();
            thrownByTool(span, cause != null && thrown.getClass().getName().endsWith(".ToolExecutionException")
                    ? cause : thrown);
        }
        return result;
    }

    /**
     * Exit of the {@code @McpTool} callbacks' {@code findCauseUsingPlainJava}: the cause it returns is what the tool threw
     * (the message of its {@code isError} result); its class goes into the current tools/call span's
     * {@code exception.type}.
     */
    public static Object toolErrorCause(Span span, Object cause, Throwable thrown) {
        if (cause instanceof Throwable) {
            thrownByTool(span, (Throwable) cause);
        }
        return cause;
    }

    /** The class of what a tool threw, on the current tools/call span ({@code exception.type}). */
    private static void thrownByTool(Span span, Throwable thrown) {
        if (span != null && span.method == McpMethod.TOOLS_CALL) {
            Enrichment.put(span, EXCEPTION_TYPE, thrown.getClass().getName());
        }
    }

    // Ends: the Mono that carries the request's work terminated ------------------------------------------------------

    /**
     * Exit of a method whose returned Mono does the request's work: returns that Mono with the span's end attached
     * (success, error or cancel, on whatever thread), so a tool's whole execution is inside its span; and with the span
     * carried through Reactor ({@link ReactorTrace}): a tools/call's in its work's context, a sent request's parent
     * taken from its subscriber's context when none was current on its thread.
     */
    public static Object endWithMono(Span span, Object work, Throwable thrown) throws Throwable {
        if (endedNow(span, work, thrown)) {
            return work;
        }
        Object carried = ReactorTrace.carry(span, Monos.endingSpan(work, span, SpanCallbacks.onValue(span)));
        // a server span with no caller yet, where WebFlux requests pass their traceparent header in the Reactor context
        return span.isServer() && span.parentSpanId == 0 && CallerTrace.reactiveHeaders
                ? ReactorTrace.joinedAtSubscription(span, carried) : carried;
    }

    /**
     * Exit of {@code startSession}: the session it created learns the client, and the result record is rebuilt around
     * the same session with its {@code initResult} Mono ending the initialize span.
     */
    public static Object endStreamableInitialize(Span span, Object init, Throwable thrown) throws Throwable {
        if (endedNow(span, init, thrown)) {
            return init;
        }
        streamableSessionStarted(span, Accessors.call(init, "session"));
        Records record = Records.shapeOf(init);
        int index = record == null ? -1 : record.index("initResult", null);
        Object initResult = index < 0 ? null : record.get(init, index);
        return initResult == null ? init : record.with(init, index,
                Monos.endingSpan(initResult, span, SpanCallbacks.onInitializeResult(span)));
    }

    /** No span, or nothing to wait for: a method that threw or returned null ends its span now. */
    private static boolean endedNow(Span span, Object result, Throwable thrown) {
        if (span == null) {
            return true;
        }
        if (thrown != null || result == null) {
            SpanEnd.failed(span, thrown);
            return true;
        }
        return false;
    }

    public static void completed(Span span, Object value) {
        SpanEnd.completed(span, value);
    }

    public static void initialized(Span span, Object initializeResult) {
        SpanEnd.initialized(span, initializeResult);
    }

    public static void failed(Span span, Throwable error) {
        SpanEnd.failed(span, error);
    }

    public static void cancelled(Span span) {
        SpanEnd.cancelled(span);
    }
}
