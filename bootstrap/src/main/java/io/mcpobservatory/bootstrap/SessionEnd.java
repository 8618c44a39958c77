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

    SessionEnd(SessionInfo info, long endNanos, boolean atExit) {
        this.kind = info.kind;
        this.sessionId = info.sessionId;
        this.transport = info.transport;
        this.protocolVersion = info.protocolVersion;
        this.clientName = info.clientName;
        this.serverName = info.serverName;
        this.startNanos = info.startNanos;
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
