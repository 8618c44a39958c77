package io.mcpobservatory.bootstrap;

import java.util.function.Consumer;

/**
 * The session registry: what each SDK session object (a server's classic or streamable session, a client's session) has
 * told us, in a weak identity map (advice applied on attach cannot add fields to SDK classes). A session is learnt at
 * first sight, so sessions opened before an attach are traced from their next request, without what only their
 * {@code initialize} said.
 */
final class Sessions {

    private static final Accessor CLIENT_INFO = Accessor.named("clientInfo");
    private static final Accessor GET_ID = Accessor.named("getId");
    private static final Accessor NAME = Accessor.named("name");
    private static final Accessor PROTOCOL_VERSION = Accessor.named("protocolVersion");
    private static final Accessor SERVER_INFO = Accessor.named("serverInfo");
    private static final Accessor VERSION = Accessor.named("version");

    private static final WeakIdentityMap<Object, SessionInfo> SESSIONS = new WeakIdentityMap<>();

    private Sessions() {
    }

    /** A classic server session (stdio or HTTP+SSE: only its transport object tells them apart). */
    static SessionInfo classic(Object session, Object sessionTransport) {
        SessionInfo info = SESSIONS.computeIfAbsent(session, s -> new SessionInfo());
        if (info.transport == null) {
            firstSight(info, session, Transports.ofSessionTransport(sessionTransport));
        }
        return info;
    }

    static SessionInfo streamable(Object session) {
        SessionInfo info = SESSIONS.computeIfAbsent(session, s -> new SessionInfo());
        if (info.transport == null) {
            firstSight(info, session, Transports.STREAMABLE_HTTP);
        }
        return info;
    }

    private static void firstSight(SessionInfo info, Object session, String transport) {
        info.transport = transport;
        info.sessionId = GET_ID.callString(session);
    }

    /** A client session: its transport, from the client transport object it holds; no session id of its own. */
    static SessionInfo client(Object session) {
        SessionInfo info = SESSIONS.computeIfAbsent(session, s -> new SessionInfo());
        if (info.transport == null) {
            info.transport = Transports.ofClientTransport(
                    Accessors.fieldOfType(session, "io.modelcontextprotocol.spec.McpClientTransport"));
        }
        return info;
    }

    /** Whatever is known of a session already; null for one never seen (a server-to-client request's session). */
    static SessionInfo known(Object session) {
        return session == null ? null : SESSIONS.get(session);
    }

    /** A session the SDK closes (its transport closed, a DELETE, a client's close): its end, once; else null. */
    static SessionEnd closed(Object session) {
        SessionInfo info = known(session);
        return info == null ? null : info.end(System.nanoTime(), false);
    }

    /** The JVM exits: every session started and not ended yet ends now. */
    static void endOpen(Consumer<SessionEnd> ended) {
        long now = System.nanoTime();
        SESSIONS.forEachValue(info -> {
            SessionEnd end = info.end(now, true);
            if (end != null) {
                ended.accept(end);
            }
        });
    }

    /** The session {@code startSession} created for a streamable initialize: it knows its client from that span. */
    static void startedBy(Span initialize, Object session) {
        SessionInfo info = SESSIONS.computeIfAbsent(session, s -> new SessionInfo());
        firstSight(info, session, Transports.STREAMABLE_HTTP);
        info.clientName = initialize.clientName;
        info.clientVersion = initialize.clientVersion;
        info.protocolVersion = initialize.protocolVersion;
        initialize.sessionId = info.sessionId;
        initialize.session = session;
    }

    /**
     * {@code initialize} params, on a server: the client's name and version, and the protocol it asks for (until the
     * result says which one was negotiated), for this span and the session's later ones. The client's own initialize
     * span does not carry them (they are its own).
     */
    static void clientHello(Span span, Object params) {
        if (!span.isServer()) {
            return;
        }
        Object clientInfo = CLIENT_INFO.param(params);
        String name = Accessors.text(NAME.param(clientInfo));
        String requested = Accessors.text(PROTOCOL_VERSION.param(params));
        SessionInfo info = known(span.session);
        if (name != null) {
            span.clientName = name;
            span.clientVersion = Accessors.text(VERSION.param(clientInfo));
            if (info != null) {
                info.clientName = span.clientName;
                info.clientVersion = span.clientVersion;
            }
        }
        if (requested != null && span.protocolVersion == null) {
            span.protocolVersion = requested;
            if (info != null && info.protocolVersion == null) {
                info.protocolVersion = requested;
            }
        }
    }

    /**
     * {@code initialize} result: the negotiated protocol version, and on the client side the server's name and version,
     * for this span and the session's later ones.
     */
    static void handshakeResult(Span span, Object result) {
        SessionInfo info = known(span.session);
        if (info != null) {
            info.initialized(span);
        }
        String negotiated = Accessors.text(PROTOCOL_VERSION.param(result));
        if (negotiated != null) {
            span.protocolVersion = negotiated;
            if (info != null) {
                info.protocolVersion = negotiated;
            }
        }
        if (!span.isServer()) {
            Object serverInfo = SERVER_INFO.param(result);
            span.serverName = Accessors.text(NAME.param(serverInfo));
            span.serverVersion = Accessors.text(VERSION.param(serverInfo));
            if (info != null) {
                info.serverName = span.serverName;
                info.serverVersion = span.serverVersion;
            }
        }
    }
}
