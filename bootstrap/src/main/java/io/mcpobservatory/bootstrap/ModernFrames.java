package io.mcpobservatory.bootstrap;

/**
 * Which transport a request of SDK 2.2's modern API ({@code io.modelcontextprotocol.modern}) came in by. Its servers have
 * no session and its request manager ({@code McpServer.handle}) is given only a transport context, so the transport is
 * told by the SDK frame the request is handled in: the servlet's {@code doPost} (which calls the manager and blocks on
 * its answer) or the stdio transport's dispatch lambda (which calls the manager when its Mono is subscribed). The frame
 * is a ThreadLocal set on entry and always restored on exit; the HTTP frame holds the servlet request itself, whose
 * {@code traceparent} header is then read only for a request whose {@code _meta} carries none.
 */
final class ModernFrames {

    private static final Object STDIO = new Object();

    /** The servlet request of the enclosing modern {@code doPost}, {@link #STDIO}, or null outside such frames. */
    private static final ThreadLocal<Object> FRAME = new ThreadLocal<>();

    private ModernFrames() {
    }

    /** {@code HttpServletMcpTransport.doPost(request, response)}: returns the previous frame, for exit. */
    static Object enterHttp(Object servletRequest) {
        Object previous = FRAME.get();
        FRAME.set(servletRequest);
        return previous;
    }

    /** {@code StdioMcpTransport}'s lambda that calls the request manager: returns the previous frame, for exit. */
    static Object enterStdio() {
        Object previous = FRAME.get();
        FRAME.set(STDIO);
        return previous;
    }

    /** Set, never removed: the ThreadLocal is static (its entry leaks nothing) and remove() scans the thread's map. */
    static void exit(Object previous) {
        if (previous != FRAME.get()) {
            FRAME.set(previous);
        }
    }

    /** The transport of a request handled on this thread now, or null outside the SDK's two modern transports. */
    static String transport() {
        Object frame = FRAME.get();
        return frame == null ? null : frame == STDIO ? Transports.STDIO : Transports.STATELESS_HTTP;
    }

    /** The servlet request whose {@code doPost} is running on this thread, or null. */
    static Object servletRequest() {
        Object frame = FRAME.get();
        return frame == STDIO ? null : frame;
    }
}
