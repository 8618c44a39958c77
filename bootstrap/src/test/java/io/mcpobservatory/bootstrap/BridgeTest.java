package io.mcpobservatory.bootstrap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The bridge's reading of SDK-shaped objects. Records here stand in for the SDK's message records, which the bridge
 * reads by accessor name only; the real SDK is exercised by the integration tests.
 */
class BridgeTest {

    public record Request(String jsonrpc, String method, Object id, Object params) {
    }

    public record Error(int code, String message, Object data) {
    }

    public record Response(String jsonrpc, Object id, Object result, Error error) {
    }

    public record Text(String type, String text) {
    }

    public record ToolResult(List<Object> content, Boolean isError) {
    }

    public static final class StdioTransport {
    }

    public static final class Session {
        public String getId() {
            return "session-1";
        }
    }

    private final List<Span> finished = new ArrayList<>();

    @BeforeEach
    void install() {
        Bridge.install(finished::add);
    }

    @AfterEach
    void uninstall() {
        Bridge.install(null);
    }

    @Test
    void toolCallWithIsErrorIsToolError() {
        Session session = new Session();
        Span span = Bridge.sessionMessage(session, new StdioTransport(),
                new Request("2.0", "tools/call", 7, Map.of("name", "book_flight", "arguments", Map.of())));
        Bridge.completed(span, new Response("2.0", 7, new ToolResult(List.of(new Text("text", "no seats")), true), null));
        assertEquals(1, finished.size());
        Span done = finished.get(0);
        assertEquals("tools/call book_flight", done.name());
        assertEquals("error", done.status);
        assertEquals("tool_error", done.errorType);
        assertEquals("no seats", done.errorMessage);
        assertEquals("stdio", done.transport);
        assertEquals("session-1", done.sessionId);
        assertEquals(7, done.requestId);
        assertTrue(done.endNanos >= done.startNanos);
    }

    @Test
    void jsonRpcErrorCodeIsErrorType() {
        Span span = Bridge.sessionMessage(new Session(), new Object(),
                new Request("2.0", "tools/call", "a", Map.of("name", "nope")));
        Bridge.completed(span, new Response("2.0", "a", null, new Error(-32602, "Unknown tool: nope", null)));
        Span done = finished.get(0);
        assertEquals("-32602", done.errorType);
        assertEquals("Unknown tool: nope", done.errorMessage);
        assertEquals("sse", done.transport);
    }

    @Test
    void initializeTeachesTheSessionItsClient() {
        Session session = new Session();
        Span init = Bridge.sessionMessage(session, new StdioTransport(), new Request("2.0", "initialize", 0,
                Map.of("protocolVersion", "2025-06-18", "clientInfo", Map.of("name", "it-client", "version", "2.0.0"))));
        Bridge.completed(init, new Response("2.0", 0, Map.of("protocolVersion", "2025-03-26"), null));
        Span later = Bridge.sessionMessage(session, new StdioTransport(), new Request("2.0", "ping", 1, null));
        Bridge.completed(later, new Response("2.0", 1, Map.of(), null));
        assertEquals("2025-03-26", finished.get(0).protocolVersion);
        assertEquals("it-client", finished.get(1).clientName);
        assertEquals("2.0.0", finished.get(1).clientVersion);
        assertEquals("2025-03-26", finished.get(1).protocolVersion);
    }

    @Test
    void eachRequestIsItsOwnTraceAndEndsOnce() {
        Span a = Bridge.statelessMessage(new Request("2.0", "ping", 1, null));
        Span b = Bridge.statelessMessage(new Request("2.0", "ping", 2, null));
        assertNotEquals(a.traceIdLow, b.traceIdLow);
        assertEquals(0, a.parentSpanId);
        Bridge.completed(a, null);
        Bridge.cancelled(a);
        Bridge.failed(a, new IllegalStateException());
        assertEquals(1, finished.size());
        assertEquals("ok", finished.get(0).status);
        assertEquals("stateless_http", finished.get(0).transport);
    }

    @Test
    void streamableResponseIsMatchedByTransportAndId() {
        Object transport = new Object();
        Session session = new Session();
        Span span = Bridge.streamableResponseStream(session,
                new Request("2.0", "tools/call", 5, Map.of("name", "throws")), transport);
        Bridge.outgoingMessage(transport, new Response("2.0", 4, null, new Error(-1, "other", null)));
        Bridge.outgoingMessage(transport, new Response("2.0", 5, null, new Error(-32603, "boom", null)));
        Bridge.completed(span, null);
        assertEquals("-32603", finished.get(0).errorType);
        assertEquals("streamable_http", finished.get(0).transport);
    }

    @Test
    void severalRequestsWaitingOnOneTransportAreEachMatched() {
        Object transport = new Object();
        Session session = new Session();
        Span first = Bridge.streamableResponseStream(session, new Request("2.0", "ping", 1, null), transport);
        Span second = Bridge.streamableResponseStream(session, new Request("2.0", "ping", "two", null), transport);
        Span third = Bridge.streamableResponseStream(session, new Request("2.0", "ping", 3, null), transport);
        Bridge.outgoingMessage(transport, new Response("2.0", "two", null, new Error(-32601, "two failed", null)));
        Bridge.cancelled(third); // leaves the transport's waiting spans, answered or not
        Bridge.outgoingMessage(transport, new Response("2.0", 3, null, new Error(-32603, "too late", null)));
        Bridge.outgoingMessage(transport, new Response("2.0", 1, Map.of(), null));
        Bridge.completed(first, null);
        Bridge.completed(second, null);
        assertEquals("cancelled", third.errorType);
        assertEquals(null, first.errorType);
        assertEquals("ok", first.status);
        assertEquals("two failed", second.errorMessage);
        assertEquals(3, finished.size());
    }

    @Test
    void aSessionEndsOnceFromItsInitializeAndOnlyIfItWasInitialized() {
        List<SessionEnd> ended = new ArrayList<>();
        Bridge.install(new SpanSink() {
            @Override
            public void accept(Span span) {
                finished.add(span);
            }

            @Override
            public void sessionEnded(SessionEnd end) {
                ended.add(end);
            }
        });
        Session initialized = new Session();
        Span init = Bridge.sessionMessage(initialized, new StdioTransport(), new Request("2.0", "initialize", 0,
                Map.of("protocolVersion", "2025-06-18", "clientInfo", Map.of("name", "it-client", "version", "1"))));
        Bridge.completed(init, new Response("2.0", 0, Map.of("protocolVersion", "2025-06-18"), null));
        Session seenLater = new Session(); // as after an attach: requests, no initialize
        Bridge.completed(Bridge.sessionMessage(seenLater, new StdioTransport(), new Request("2.0", "ping", 1, null)),
                new Response("2.0", 1, Map.of(), null));

        Bridge.sessionClosed(initialized);
        Bridge.sessionClosed(initialized); // close() after closeGracefully(): one end
        Bridge.sessionClosed(seenLater);
        assertEquals(1, ended.size());
        SessionEnd end = ended.get(0);
        assertTrue(end.isServer());
        assertEquals("stdio", end.transport);
        assertEquals("2025-06-18", end.protocolVersion);
        assertEquals("it-client", end.clientName);
        assertEquals(init.startNanos, end.startNanos);
        assertTrue(end.durationNanos() >= init.durationNanos());
        assertEquals(false, end.atExit);
    }

    @Test
    void theExitEndsTheSessionsStillOpen() {
        List<SessionEnd> ended = new ArrayList<>();
        Bridge.install(new SpanSink() {
            @Override
            public void accept(Span span) {
            }

            @Override
            public void sessionEnded(SessionEnd end) {
                ended.add(end);
            }
        });
        Session open = new Session();
        Span init = Bridge.sessionMessage(open, new StdioTransport(), new Request("2.0", "initialize", 0,
                Map.of("protocolVersion", "2025-06-18")));
        Bridge.completed(init, new Response("2.0", 0, Map.of(), null));
        Bridge.endOpenSessions();
        Bridge.endOpenSessions();
        Bridge.sessionClosed(open);
        // the registry is static: other tests' sessions that the GC has not cleared yet end here too
        List<SessionEnd> mine = ended.stream().filter(end -> end.startNanos == init.startNanos).toList();
        assertEquals(1, mine.size());
        assertTrue(mine.get(0).atExit);
    }

    @Test
    void nothingIsRecordedWhenNotInstalled() {
        Bridge.install(null);
        assertNull(Bridge.statelessMessage(new Request("2.0", "ping", 1, null)));
    }

    @Test
    void weakIdentityMapUsesIdentityNotEquals() {
        WeakIdentityMap<Object, String> map = new WeakIdentityMap<>();
        Request a = new Request("2.0", "x", 1, null);
        Request b = new Request("2.0", "x", 1, null);
        assertEquals(a, b);
        map.put(a, "a");
        assertEquals("a", map.get(a));
        assertNull(map.get(b));
        assertEquals("a", map.remove(a));
        assertEquals(0, map.size());
    }
}
