package io.mcpobservatory.bootstrap;

import java.lang.ref.WeakReference;

/**
 * The server span whose application code is running on this thread, so that requests that code sends (a client call to
 * another MCP server, a sampling request) become its children. It is a ThreadLocal set and restored strictly around the
 * synchronous SDK frames in which the application's handler runs (the tools/call dispatch, a sync tool's callable), never
 * left behind: work the application hands to threads of its own is not followed this way.
 *
 * <p>Those frames receive the request's params and its exchange, not the span: a tools/call span is found by its params
 * object (the same map reaches the dispatch), and the dispatch links the exchange made for the call to it for the sync
 * callable, which gets only the exchange. A stateless server whose requests all share one transport context (the SDK's
 * {@code McpTransportContext.EMPTY}) cannot be linked that way: its dispatch leaves the span with its thread instead,
 * for a callable run on that same thread as the request's Mono is subscribed (immediate execution, as Spring AI's WebMvc
 * stateless server does it); a callable on a scheduler's thread gets its span from the Reactor context
 * ({@link ReactorTrace}).
 */
final class CurrentSpan {

    private static final ThreadLocal<Span> CURRENT = new ThreadLocal<>();

    private static final WeakIdentityMap<Object, Span> BY_PARAMS = new WeakIdentityMap<>();
    private static final WeakIdentityMap<Object, Span> BY_EXCHANGE = new WeakIdentityMap<>();

    /**
     * The span of the last tools/call dispatched on this thread with the shared transport context. Weak: when the call
     * ran elsewhere, the entry must not keep its span (and its payloads) until the thread's next dispatch.
     */
    private static final ThreadLocal<WeakReference<Span>> SHARED_CONTEXT_CALL = new ThreadLocal<>();

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
                    // common.McpTransportContext, server.McpTransportContext in 0.11.x
                    if (contract.getName().startsWith("io.modelcontextprotocol.")
                            && contract.getName().endsWith(".McpTransportContext")) {
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

    private CurrentSpan() {
    }

    /** The span current on this thread, the parent of the requests sent from here; null when none. */
    static Span get() {
        return CURRENT.get();
    }

    /** A received tools/call: its params object will reach the SDK's dispatch, which then finds the span by it. */
    static void keyToolCall(Span span, Object params) {
        if (span.isServer()) {
            BY_PARAMS.put(params, span);
        }
    }

    /** A tools/call whose params object no dispatch will see (SDK 2.2's modern server copies params first). */
    static void forgetToolCall(Object params) {
        if (params != null) {
            BY_PARAMS.remove(params);
        }
    }

    /** The tools/call dispatch {@code (exchange, params)}: its span becomes current. Returns the previous one. */
    static Span enterDispatch(Object exchange, Object params) {
        Span previous = CURRENT.get();
        // removed, not read: the dispatch runs once per call, and a map emptied as it goes stays small and cheap (left
        // to the GC, entries of promoted keys would wait for an old-generation collection)
        Span span = params == null ? null : BY_PARAMS.remove(params);
        if (span != null) {
            keyCall(exchange, span);
            CURRENT.set(span);
        }
        return previous;
    }

    /**
     * A call whose callable gets only the request's transport context (SDK 2.2's modern server): linked by that context,
     * or, when it is the shared one, left with this thread as the classic stateless dispatch does.
     */
    static void keyCall(Object context, Span span) {
        if (context != null && context != SHARED_CONTEXT.get(context.getClass())) {
            BY_EXCHANGE.put(context, span);
        } else if (context != null) {
            SHARED_CONTEXT_CALL.set(new WeakReference<>(span));
        }
    }

    /** A sync tool's callable on its worker thread, which gets the exchange: its span becomes current. */
    static Span enterCallable(Object exchange) {
        Span previous = CURRENT.get();
        Span span = exchange == null ? null : BY_EXCHANGE.remove(exchange); // one callable per exchange, as above
        if (span == null && exchange != null && exchange == SHARED_CONTEXT.get(exchange.getClass())) {
            span = sharedContextCall();
        }
        if (span != null) {
            CURRENT.set(span);
        }
        return previous;
    }

    /** The running call this thread dispatched with the shared transport context, taken once; null when none. */
    private static Span sharedContextCall() {
        WeakReference<Span> last = SHARED_CONTEXT_CALL.get();
        if (last == null) {
            return null;
        }
        SHARED_CONTEXT_CALL.set(null);
        Span span = last.get();
        return span != null && !span.isEnded() ? span : null;
    }

    /** {@code span} becomes current (the enrichment API's wrapped task, on a thread of the application's). */
    static Span enter(Span span) {
        Span previous = CURRENT.get();
        CURRENT.set(span);
        return previous;
    }

    /** Leaving such a frame: what was current before it is again (usually nothing). */
    static void restore(Span previous) {
        // set, not remove: the ThreadLocal is static, so keeping its entry (with null) leaks nothing, and remove() costs
        // a scan of the thread's map on every tool call
        if (previous != null || CURRENT.get() != null) {
            CURRENT.set(previous);
        }
    }
}
