package io.mcpobservatory.bootstrap;

import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;

/**
 * What is known about one MCP session (one connection between a client and a server), copied onto every span of the
 * session: its id and transport from the first sight of it, the client's name and version and the protocol version from
 * its {@code initialize}, and on the client side the server's name and version. Held by {@link Sessions}.
 */
final class SessionInfo {

    volatile String sessionId;
    volatile String transport;
    volatile String clientName;
    volatile String clientVersion;
    volatile String protocolVersion;
    volatile String serverName;
    volatile String serverVersion;
    /** Which side's session ({@link Span#KIND_SERVER} or {@link Span#KIND_CLIENT}), and when its initialize started. */
    volatile String kind;
    volatile long startNanos;
    private volatile int ended;
    private static final AtomicIntegerFieldUpdater<SessionInfo> ENDED =
            AtomicIntegerFieldUpdater.newUpdater(SessionInfo.class, "ended");

    /** The session's start, from its initialize span (the first one that succeeded). */
    void initialized(Span initialize) {
        if (startNanos == 0) {
            kind = initialize.kind;
            startNanos = initialize.startNanos;
        }
    }

    /**
     * The session's end, once: the SDK may close a session more than once (close and closeGracefully, a delete then a
     * shutdown), and the JVM's exit ends only sessions still open. Null when it was ended before, or never started.
     */
    SessionEnd end(long endNanos, boolean atExit) {
        if (startNanos == 0 || !ENDED.compareAndSet(this, 0, 1)) {
            return null;
        }
        return new SessionEnd(kind, sessionId, transport, protocolVersion, clientName, serverName, startNanos, endNanos,
                atExit);
    }

    void copyTo(Span span) {
        span.sessionId = sessionId;
        span.transport = transport;
        span.clientName = clientName;
        span.clientVersion = clientVersion;
        span.protocolVersion = protocolVersion;
        span.serverName = serverName;
        span.serverVersion = serverVersion;
    }
}
