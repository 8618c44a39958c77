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
 * <p>How the header reaches the span, per kind of transport:
 * <ul>
 *   <li>The SDK's servlets ({@code doPost}) and Spring's WebMvc handlers ({@code handleMessage}, {@code handlePost}) read
 *   and handle the message on the calling thread: the header is kept in a ThreadLocal set and restored around that call.
 *   So is the body callback of Spring's WebFlux streamable transport, which is given the request.</li>
 *   <li>Streamable transports handle a request after that frame (WebMvc in its SSE response's writer, WebFlux in its
 *   response body's subscription): a message the SDK reads ({@code McpSchema.deserializeJsonRpcMessage}) while a header
 *   is current keeps it in a weak identity map, and its span finds it there.</li>
 *   <li>Spring's WebFlux HTTP+SSE and stateless transports read the message in a callback that is not given the request:
 *   the header goes into the Reactor context of the Mono their handler returns, and a span without a caller of its own
 *   joins it when its Mono is subscribed there ({@link ReactorTrace}), before the request's work runs.</li>
 * </ul>
 */
final class CallerTrace {

    private static final ThreadLocal<Object> HTTP_TRACEPARENT = new ThreadLocal<>();
    /** A Spring {@code ServerRequest}'s {@code headers()}. */
    private static final Accessor HEADERS = Accessor.named("headers");

    /** Messages read while a header was current, and that header: for spans started after the reading frame. */
    private static final WeakIdentityMap<Object, Object> BY_MESSAGE = new WeakIdentityMap<>();

    /** Set once a WebFlux handler passed a header in a Reactor context: until then no span looks for one there. */
    static volatile boolean reactiveHeaders;

    private static final MethodType GET_HEADER_TYPE = MethodType.methodType(Object.class, Object.class, String.class);

    /**
     * {@code getHeader(String)} of a servlet request's class, or {@code firstHeader(String)} of the {@code headers()} of a
     * Spring WebMvc or WebFlux {@code ServerRequest}, typed for {@code invokeExact} (no reflective call).
     */
    private static final ClassValue<MethodHandle> GET_HEADER = new ClassValue<>() {
        @Override
        protected MethodHandle computeValue(Class<?> type) {
            for (String name : new String[] {"getHeader", "firstHeader"}) {
                try {
                    Method method = type.getMethod(name, String.class);
                    method.setAccessible(true); // public method of a possibly non-public class
                    return MethodHandles.lookup().unreflect(method).asType(GET_HEADER_TYPE);
                } catch (ReflectiveOperationException | RuntimeException e) {
                    // not this one
                }
            }
            return null;
        }
    };

    private CallerTrace() {
    }

    /**
     * Joins the caller's trace, if the request or its HTTP request names one; with both, {@code _meta} is the parent and
     * the header is kept for a span link.
     */
    static void join(Span span, Object params) {
        join(span, params, null);
    }

    /** The same, for a received {@code message} (whose header may have been kept when it was read). */
    static void join(Span span, Object params, Object message) {
        Object kept = message != null && BY_MESSAGE.size() > 0 ? BY_MESSAGE.remove(message) : null;
        Object current = HTTP_TRACEPARENT.get();
        Object header = current != null ? current : kept;
        if (!TraceParent.join(span, TraceParent.find(params))) {
            TraceParent.join(span, header);
        } else {
            span.httpTraceParent = header; // a link, if it names another context (drainer side)
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

    /** The {@code traceparent} header of a servlet request or a Spring {@code ServerRequest}, or null. */
    static Object header(Object request) {
        if (request == null) {
            return null;
        }
        Object headers = GET_HEADER.get(request.getClass()) != null ? request : HEADERS.call(request);
        MethodHandle getHeader = headers == null ? null : GET_HEADER.get(headers.getClass());
        if (getHeader == null) {
            return null;
        }
        try {
            return (Object) getHeader.invokeExact(headers, TraceParent.KEY);
        } catch (Throwable e) {
            return null;
        }
    }

    /** The header current on this thread (in a servlet's or WebMvc handler's frame), or null. */
    static Object current() {
        return HTTP_TRACEPARENT.get();
    }

    /** A message read while {@code header} was current keeps it for its span, however late that starts. */
    static void read(Object message, Object header) {
        if (message != null && header != null) {
            BY_MESSAGE.put(message, header);
        }
    }

    /** Set, never removed: the ThreadLocal is static (its entry leaks nothing) and remove() scans the thread's map. */
    static void exitHttp(Object previous) {
        if (previous != HTTP_TRACEPARENT.get()) {
            HTTP_TRACEPARENT.set(previous);
        }
    }
}
