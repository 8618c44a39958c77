package io.mcpobservatory.bootstrap;

import java.util.HashMap;
import java.util.Map;

/**
 * Streamable HTTP's answers: the Mono of a streamable request completes without the response, which is only visible when
 * the SDK writes it to the request's transport ({@code McpStreamableServerTransport.sendMessage}). So a request's span
 * waits here, by transport object and JSON-RPC id, until a response with its id is written there, and leaves when it
 * ends, answered or not.
 */
final class StreamableResponses {

    private static final Accessor ERROR = Accessor.named("error");
    private static final Accessor ID = Accessor.named("id");

    static final String TRANSPORT = "io.modelcontextprotocol.spec.McpStreamableServerTransport";
    static final String SESSION = "io.modelcontextprotocol.spec.McpStreamableServerSession";
    static final String STREAM_SUFFIX = "$McpStreamableServerSessionStream";

    private static final WeakIdentityMap<Object, Waiting> AWAITING = new WeakIdentityMap<>();

    /** Whether a streamable session class routes requests through its stream's own {@code handle} (SDK 1.x and later). */
    private static final ClassValue<Boolean> STREAM_HANDLES = new ClassValue<>() {
        @Override
        protected Boolean computeValue(Class<?> sessionClass) {
            try {
                Class<?> stream = Class.forName(sessionClass.getName() + STREAM_SUFFIX, false,
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

    private StreamableResponses() {
    }

    /**
     * Whether the session's {@code responseStream} is the SDK's way in for requests: in SDK 1.x and later it delegates to
     * its stream's {@code handle}, which is the one recorded (recording both would count each request twice).
     */
    static boolean recordedByStream(Object session) {
        return STREAM_HANDLES.get(session.getClass());
    }

    /** The transport a request stream writes to (a field whose name differs between releases, whose type does not). */
    static Object transportOf(Object stream) {
        return Accessors.fieldOfType(stream, TRANSPORT);
    }

    /** The session of a request stream (an inner class of it), or {@code sessionOrStream} itself when it is a session. */
    static Object sessionOf(Object sessionOrStream) {
        return sessionOrStream.getClass().getName().endsWith(STREAM_SUFFIX)
                ? Accessors.fieldOfType(sessionOrStream, SESSION) : sessionOrStream;
    }

    static void await(Object transport, Span span) {
        if (transport != null && span.requestId != null) {
            span.pendingOn = transport;
            AWAITING.computeIfAbsent(transport, t -> new Waiting()).add(span);
        }
    }

    /** A message written to a transport: the span that waits for it, if it is a response one waits for; else null. */
    static Span answered(Object transport, Object message) {
        Waiting waiting = AWAITING.get(transport);
        if (waiting == null || !ERROR.has(message)) {
            return null; // not a response, or not one we wait for
        }
        Span span = waiting.take(ID.call(message));
        if (span != null) {
            span.pendingOn = null; // answered: nothing for forget() to look up when it ends
        }
        return span;
    }

    /** An ended span stops waiting (a request cancelled or failed before its response was written). */
    static void forget(Span span) {
        Object transport = span.pendingOn;
        if (transport != null) {
            Waiting waiting = AWAITING.get(transport);
            if (waiting != null) {
                waiting.drop(span);
            }
            span.pendingOn = null;
        }
    }

    /**
     * The spans waiting on one transport. In SDK releases with a transport per HTTP request that is one span, so it is
     * held in a field; a map is made only for a transport that carries several requests at once (older releases' JSON-RPC
     * batches). Locked per transport, uncontended in practice.
     */
    private static final class Waiting {
        private Span only;
        private Map<Object, Span> more;

        synchronized void add(Span span) {
            if (only == null && more == null) {
                only = span;
                return;
            }
            if (more == null) {
                more = new HashMap<>(4);
                more.put(only.requestId, only);
                only = null;
            }
            more.put(span.requestId, span);
        }

        synchronized Span take(Object id) {
            if (only != null) {
                if (!only.requestId.equals(id)) {
                    return null;
                }
                Span span = only;
                only = null;
                return span;
            }
            return more == null || id == null ? null : more.remove(id);
        }

        synchronized void drop(Span span) {
            if (only == span) {
                only = null;
            } else if (more != null) {
                more.remove(span.requestId, span);
            }
        }
    }
}
