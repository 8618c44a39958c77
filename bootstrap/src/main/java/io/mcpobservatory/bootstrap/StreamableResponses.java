package io.mcpobservatory.bootstrap;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Streamable HTTP's answers: the Mono of a streamable request completes without the response, which is only visible when
 * the SDK writes it to the request's transport ({@code McpStreamableServerTransport.sendMessage}). So a request's span
 * waits here, by transport object and JSON-RPC id, until a response with its id is written there, and leaves when it
 * ends, answered or not.
 */
final class StreamableResponses {

    static final String TRANSPORT = "io.modelcontextprotocol.spec.McpStreamableServerTransport";
    static final String SESSION = "io.modelcontextprotocol.spec.McpStreamableServerSession";
    static final String STREAM_SUFFIX = "$McpStreamableServerSessionStream";

    private static final WeakIdentityMap<Object, Map<Object, Span>> AWAITING = new WeakIdentityMap<>();

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
            AWAITING.computeIfAbsent(transport, t -> new ConcurrentHashMap<>(2)).put(span.requestId, span);
            span.pendingOn = transport;
        }
    }

    /** A message written to a transport: the span that waits for it, if it is a response one waits for; else null. */
    static Span answered(Object transport, Object message) {
        Map<Object, Span> awaiting = AWAITING.get(transport);
        if (awaiting == null || awaiting.isEmpty() || !Accessors.has(message, "error")) {
            return null; // not a response, or not one we wait for
        }
        return awaiting.remove(Accessors.call(message, "id"));
    }

    /** An ended span stops waiting (a request cancelled or failed before its response was written). */
    static void forget(Span span) {
        Object transport = span.pendingOn;
        if (transport != null) {
            Map<Object, Span> awaiting = AWAITING.get(transport);
            if (awaiting != null) {
                awaiting.remove(span.requestId, span);
            }
            span.pendingOn = null;
        }
    }
}
