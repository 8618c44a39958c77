package io.mcpobservatory.bootstrap;

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
