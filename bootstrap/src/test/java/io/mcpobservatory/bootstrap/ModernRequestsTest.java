package io.mcpobservatory.bootstrap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The spans of SDK 2.2's modern API, read from SDK-shaped stand-ins (records read by accessor name, as the bridge reads
 * the SDK's); the real SDK, its Monos and streams are exercised by ModernApiTest.
 */
class ModernRequestsTest {

    public record Request(String jsonrpc, String method, Object id, Object params) {
    }

    /** The modern server's {@code McpRequestContext} as the bridge reads it: only its transport context. */
    public record RequestContext(Object transportContext) {
    }

    /** A servlet request as the bridge sees it: only {@code getHeader}. */
    public static final class ServletRequest {
        private final String traceparent;

        ServletRequest(String traceparent) {
            this.traceparent = traceparent;
        }

        public String getHeader(String name) {
            return "traceparent".equals(name) ? traceparent : null;
        }
    }

    private static final String HEADER = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";

    private final List<Span> finished = new ArrayList<>();

    @BeforeEach
    void install() {
        Bridge.install(finished::add);
    }

    @AfterEach
    void uninstall() {
        Bridge.install(null);
    }

    private static Request toolCall(Map<String, Object> extraMeta) {
        Map<String, Object> meta = new java.util.LinkedHashMap<>(Map.of(
                "io.modelcontextprotocol/protocolVersion", "2026-07-28",
                "io.modelcontextprotocol/clientInfo", Map.of("name", "c", "version", "9")));
        meta.putAll(extraMeta);
        return new Request("2.0", "tools/call", 4, Map.of("name", "add", "arguments", Map.of("a", 1), "_meta", meta));
    }

    /** A blocking request runs its sync tool on the request thread: the callable's frame makes the call current. */
    @Test
    void aSyncToolsFrameMakesItsCallCurrent() {
        Object transportContext = new Object(); // per request (not the SDK's shared empty one)
        Span call = Bridge.modernRequest(transportContext, toolCall(Map.of()));
        Span previous = Bridge.enterModernTool(new RequestContext(transportContext));
        try {
            assertEquals(call.spanId, Bridge.clientRequest(new Object(), "tools/call", null).parentSpanId);
        } finally {
            Bridge.exitTool(previous);
        }
        assertEquals(0, Bridge.clientRequest(new Object(), "ping", null).parentSpanId, "nothing left on the thread");
        previous = Bridge.enterModernTool(new RequestContext(transportContext));
        try {
            assertEquals(0, Bridge.clientRequest(new Object(), "ping", null).parentSpanId, "linked once");
        } finally {
            Bridge.exitTool(previous);
        }
    }

    @Test
    void clientInfoAndProtocolComeFromEachRequestsMeta() {
        Span span = Bridge.modernRequest(null, toolCall(Map.of()));
        assertEquals("tools/call add", span.name());
        assertEquals("server", span.kind);
        assertEquals(4, span.requestId);
        assertEquals("c", span.clientName);
        assertEquals("9", span.clientVersion);
        assertEquals("2026-07-28", span.protocolVersion);
        assertNull(span.transport, "outside the SDK's transport frames the transport is not known");
    }

    @Test
    void theTransportIsTheFrameTheRequestIsHandledIn() {
        Object outer = Bridge.enterModernStdio(new Object());
        assertEquals("stdio", Bridge.modernRequest(null, toolCall(Map.of())).transport);
        Object inner = Bridge.enterModernHttp(new ServletRequest(null));
        assertEquals("stateless_http", Bridge.modernRequest(null, toolCall(Map.of())).transport);
        Bridge.exitModernFrame(inner);
        assertEquals("stdio", Bridge.modernRequest(null, toolCall(Map.of())).transport, "the previous frame is restored");
        Bridge.exitModernFrame(outer);
        assertNull(Bridge.modernRequest(null, toolCall(Map.of())).transport);
    }

    @Test
    void onHttpTheHeaderIsTheFallbackAndMetaWins() {
        Object previous = Bridge.enterModernHttp(new ServletRequest(HEADER));
        try {
            Span fromHeader = Bridge.modernRequest(null, toolCall(Map.of()));
            assertEquals("b7ad6b7169203331", Long.toHexString(fromHeader.parentSpanId));
            Span fromMeta = Bridge.modernRequest(null, toolCall(Map.of("traceparent",
                    "00-11111111111111111111111111111111-2222222222222222-01")));
            assertEquals(0x2222222222222222L, fromMeta.parentSpanId);
            assertEquals(HEADER, fromMeta.httpTraceParent, "kept for a span link");
        } finally {
            Bridge.exitModernFrame(previous);
        }
    }

    @Test
    void aSentRequestsMetaCarriesItsTraceparentWithTheApplicationsEntries() {
        Span span = Bridge.modernClientRequest(new Object(), "tools/call", Map.of("name", "add"));
        Object meta = Bridge.propagateMeta(span, Map.of("app", "x"));
        assertTrue(meta instanceof Map);
        assertEquals("x", ((Map<?, ?>) meta).get("app"));
        assertEquals(TraceParent.format(span), ((Map<?, ?>) meta).get("traceparent"));
        assertEquals("client", span.kind);
        assertEquals("add", span.toolName);
    }
}
