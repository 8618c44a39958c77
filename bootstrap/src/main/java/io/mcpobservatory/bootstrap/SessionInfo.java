package io.mcpobservatory.bootstrap;

/**
 * What is known about one MCP session (one client connection): learned at {@code initialize}, copied onto every span of
 * the session. Held in a weak map keyed by the SDK's session object.
 */
public final class SessionInfo {

    public volatile String sessionId;
    public volatile String transport;
    public volatile String clientName;
    public volatile String clientVersion;
    public volatile String protocolVersion;
    /** Client side: the server's name and version from its initialize result. */
    public volatile String serverName;
    public volatile String serverVersion;

    void copyTo(Span span) {
        span.sessionId = sessionId;
        span.transport = transport;
        span.clientName = clientName;
        span.clientVersion = clientVersion;
        span.protocolVersion = protocolVersion;
        span.serverName = serverName;
        span.serverVersion = serverVersion;
    }

    /** Takes client name, version and requested protocol from {@code initialize} params (a map or an InitializeRequest). */
    void learnFromInitialize(Object params) {
        Object clientInfo = Accessors.param(params, "clientInfo");
        String name = asString(Accessors.param(clientInfo, "name"));
        if (name != null) {
            clientName = name;
            clientVersion = asString(Accessors.param(clientInfo, "version"));
        }
        String requested = asString(Accessors.param(params, "protocolVersion"));
        if (requested != null && protocolVersion == null) {
            protocolVersion = requested;
        }
    }

    /** Text of a value from the client, cut at {@link Span#MAX_TEXT_CHARS}. */
    static String asString(Object value) {
        return value == null ? null : Span.limit(value.toString());
    }
}
