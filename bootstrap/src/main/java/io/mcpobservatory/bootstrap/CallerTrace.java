package io.mcpobservatory.bootstrap;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Method;

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

    private static final MethodType GET_HEADER_TYPE = MethodType.methodType(Object.class, Object.class, String.class);

    /** {@code getHeader(String)} of the servlet request's class, typed for {@code invokeExact} (no reflective call). */
    private static final ClassValue<MethodHandle> GET_HEADER = new ClassValue<>() {
        @Override
        protected MethodHandle computeValue(Class<?> type) {
            try {
                Method method = type.getMethod("getHeader", String.class);
                method.setAccessible(true); // public method of a possibly non-public class
                return MethodHandles.lookup().unreflect(method).asType(GET_HEADER_TYPE);
            } catch (ReflectiveOperationException | RuntimeException e) {
                return null;
            }
        }
    };

    private CallerTrace() {
    }

    /**
     * Joins the caller's trace, if the request or its HTTP request names one; with both, {@code _meta} is the parent and
     * the header is kept for a span link.
     */
    static void join(Span span, Object params) {
        if (!TraceParent.join(span, TraceParent.find(params))) {
            TraceParent.join(span, HTTP_TRACEPARENT.get());
        } else {
            span.httpTraceParent = HTTP_TRACEPARENT.get(); // a link, if it names another context (drainer side)
        }
    }

    /**
     * A request of SDK 2.2's modern API: as {@link #join}, the header read from the servlet request being handled on this
     * thread ({@link ModernFrames}; null on stdio), and only when it is needed.
     */
    static void joinModern(Span span, Object params, Object servletRequest) {
        if (!TraceParent.join(span, TraceParent.find(params))) {
            TraceParent.join(span, header(servletRequest));
        } else if (servletRequest != null) {
            span.httpTraceParent = header(servletRequest);
        }
    }

    /** An SDK servlet's {@code doPost(request, response)}: keeps its {@code traceparent} header; returns the previous value. */
    static Object enterHttp(Object request) {
        Object previous = HTTP_TRACEPARENT.get();
        Object header = header(request);
        if (header != previous) { // most requests carry none: then the thread's map is not touched at all
            HTTP_TRACEPARENT.set(header);
        }
        return previous;
    }

    /** The {@code traceparent} header of a servlet request, or null. */
    private static Object header(Object request) {
        MethodHandle getHeader = request == null ? null : GET_HEADER.get(request.getClass());
        if (getHeader == null) {
            return null;
        }
        try {
            return (Object) getHeader.invokeExact(request, TraceParent.KEY);
        } catch (Throwable e) {
            return null;
        }
    }

    /** Set, never removed: the ThreadLocal is static (its entry leaks nothing) and remove() scans the thread's map. */
    static void exitHttp(Object previous) {
        if (previous != HTTP_TRACEPARENT.get()) {
            HTTP_TRACEPARENT.set(previous);
        }
    }
}
