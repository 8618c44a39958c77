package io.mcpobservatory.bootstrap;

/** The {@code transport} values of our spans, and how to tell them from the SDK's transport objects. */
public final class Transports {

    public static final String STDIO = "stdio";
    public static final String SSE = "sse";
    public static final String STREAMABLE_HTTP = "streamable_http";
    public static final String STATELESS_HTTP = "stateless_http";

    private Transports() {
    }

    /** A client transport, by the SDK's class names (StdioClientTransport, HttpClientSseClientTransport, ...Streamable...). */
    public static String ofClientTransport(Object transport) {
        if (transport == null) {
            return null;
        }
        String name = transport.getClass().getName();
        return name.contains("Stdio") ? STDIO : name.contains("Streamable") ? STREAMABLE_HTTP
                : name.contains("Sse") ? SSE : null;
    }

    /**
     * A client transport of SDK 2.2's modern API (StdioMcpClientTransport, HttpClientMcpTransport): its HTTP transport
     * is the stateless one of protocol revision 2026-07-28, one POST per request and no session.
     */
    public static String ofModernClientTransport(Object transport) {
        if (transport == null) {
            return null;
        }
        String name = transport.getClass().getName();
        return name.contains("Stdio") ? STDIO : name.contains("Http") ? STATELESS_HTTP : null;
    }

    /**
     * A classic {@code McpServerSession} serves stdio and HTTP+SSE alike; only its transport object tells them apart
     * (SDK stdio transports are named Stdio*, every other session transport of that kind is an SSE one).
     */
    public static String ofSessionTransport(Object transport) {
        if (transport == null) {
            return null;
        }
        return transport.getClass().getName().contains("Stdio") ? STDIO : SSE;
    }
}
