package io.mcpobservatory.bootstrap;

/**
 * An MCP session that ended: its transport closed it, or the JVM exited with it open. What the session-duration metrics
 * of the OpenTelemetry MCP conventions ({@code mcp.server.session.duration}, {@code mcp.client.session.duration}) are
 * made of, on the drainer. A session starts at its {@code initialize}; a session first seen after an attach has no known
 * start and never makes one of these (a duration from first sight would be wrong, not just partial).
 */
public final class SessionEnd {

    /** {@link Span#KIND_SERVER} or {@link Span#KIND_CLIENT}: which side's session. */
    public final String kind;
    public final String sessionId;
    public final String transport;
    public final String protocolVersion;
    public final String clientName;
    public final String serverName;
    /** {@link System#nanoTime()} at the start of the session's initialize, and when it ended. */
    public final long startNanos;
    public final long endNanos;
    /** True when the JVM exited with the session still open (the transport never closed it). */
    public final boolean atExit;

    public SessionEnd(String kind, String sessionId, String transport, String protocolVersion, String clientName,
                      String serverName, long startNanos, long endNanos, boolean atExit) {
        this.kind = kind;
        this.sessionId = sessionId;
        this.transport = transport;
        this.protocolVersion = protocolVersion;
        this.clientName = clientName;
        this.serverName = serverName;
        this.startNanos = startNanos;
        this.endNanos = endNanos;
        this.atExit = atExit;
    }

    public long durationNanos() {
        return endNanos - startNanos;
    }

    public boolean isServer() {
        return Span.KIND_SERVER.equals(kind);
    }
}
