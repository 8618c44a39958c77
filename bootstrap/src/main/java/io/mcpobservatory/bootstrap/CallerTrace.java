package io.mcpobservatory.bootstrap;

/**
 * The trace a received request belongs to: the W3C {@code traceparent} its sender put in {@code params._meta} (as the MCP
 * spec reserves it), else the {@code traceparent} HTTP header of the request that carried it (some gateways only keep the
 * header), else none (a new trace). A malformed value is ignored, never an error.
 *
 * <p>The header is read on the thread of an SDK servlet's {@code doPost}, which handles the message synchronously: it is
 * kept in a ThreadLocal set and restored around that call.
 */
final class CallerTrace {

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

    private CallerTrace() {
    }

    /** Joins the caller's trace, if the request or its HTTP request names one. */
    static void join(Span span, Object params) {
        if (!TraceParent.join(span, TraceParent.find(params))) {
            TraceParent.join(span, HTTP_TRACEPARENT.get());
        }
    }

    /** An SDK servlet's {@code doPost(request, response)}: keeps its {@code traceparent} header; returns the previous value. */
    static Object enterHttp(Object request) {
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

    static void exitHttp(Object previous) {
        if (previous == null) {
            HTTP_TRACEPARENT.remove();
        } else {
            HTTP_TRACEPARENT.set(previous);
        }
    }
}
