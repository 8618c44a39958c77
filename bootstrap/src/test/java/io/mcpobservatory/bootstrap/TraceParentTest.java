package io.mcpobservatory.bootstrap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

class TraceParentTest {

    /** Shaped like the SDK's request records (CallToolRequest(name, arguments, meta)). */
    record CallToolRequest(String name, Map<String, Object> arguments, Map<String, Object> meta) { }

    record NoMeta(String uri) { }

    /** Not public, as the SDK's records could be in some release: the copy must still be made. */
    private record PrivateRequest(String uri, Map<String, Object> meta) { }

    private static Span span() {
        return Span.start(Span.KIND_CLIENT, McpMethod.TOOLS_CALL, null);
    }

    @Test
    void formatThenJoinGivesTheSameTraceWithTheSenderAsParent() {
        Span client = span();
        String value = TraceParent.format(client);
        assertTrue(value.matches("00-[0-9a-f]{32}-[0-9a-f]{16}-01"), value);
        Span server = Span.start(Span.KIND_SERVER, McpMethod.TOOLS_CALL, null);
        assertTrue(TraceParent.join(server, value));
        assertEquals(client.traceIdHigh, server.traceIdHigh);
        assertEquals(client.traceIdLow, server.traceIdLow);
        assertEquals(client.spanId, server.parentSpanId);
    }

    @Test
    void theW3cExampleIsJoined() {
        Span server = span();
        assertTrue(TraceParent.join(server, "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"));
        assertEquals(0x0af7651916cd43ddL, server.traceIdHigh);
        assertEquals(0x8448eb211c80319cL, server.traceIdLow);
        assertEquals(0xb7ad6b7169203331L, server.parentSpanId);
    }

    @Test
    void malformedValuesChangeNothing() {
        for (Object bad : new Object[] {null, 42, "", "garbage", "00-not-a-trace-context-01",
                "01-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01",     // unknown version
                "00-0AF7651916CD43DD8448EB211C80319C-b7ad6b7169203331-01",     // upper case
                "00-00000000000000000000000000000000-b7ad6b7169203331-01",     // zero trace id
                "00-0af7651916cd43dd8448eb211c80319c-0000000000000000-01",     // zero parent
                "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-0g",     // flags not hex
                "00-+af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"}) {
            Span span = span();
            long high = span.traceIdHigh;
            assertFalse(TraceParent.join(span, bad), String.valueOf(bad));
            assertEquals(high, span.traceIdHigh);
            assertEquals(0, span.parentSpanId);
        }
    }

    @Test
    void injectCopiesRecordsAndMapsKeepingTheCallersMeta() {
        Span span = span();
        Map<String, Object> callerMeta = Map.of("progressToken", 7);
        CallToolRequest request = new CallToolRequest("fast", Map.of("text", "hi"), callerMeta);
        Object sent = TraceParent.inject(request, span);
        assertNotSame(request, sent);
        CallToolRequest copy = (CallToolRequest) sent;
        assertEquals("fast", copy.name());
        assertEquals(Map.of("text", "hi"), copy.arguments());
        assertEquals(7, copy.meta().get("progressToken"));
        assertEquals(TraceParent.format(span), copy.meta().get("traceparent"));
        assertEquals(Map.of("progressToken", 7), request.meta(), "the caller's object is untouched");
        assertEquals(TraceParent.format(span), TraceParent.find(copy));

        Map<String, Object> params = Map.of("uri", "demo://x");
        @SuppressWarnings("unchecked")
        Map<String, Object> sentMap = (Map<String, Object>) TraceParent.inject(params, span);
        assertEquals("demo://x", sentMap.get("uri"));
        assertEquals(TraceParent.format(span), TraceParent.find(sentMap));
        assertEquals(TraceParent.format(span), TraceParent.find(TraceParent.inject(null, span)));
    }

    @Test
    void aNonPublicRequestRecordIsCopiedToo() {
        Span span = span();
        Object sent = TraceParent.inject(new PrivateRequest("demo://x", null), span);
        assertEquals(TraceParent.format(span), ((PrivateRequest) sent).meta().get("traceparent"));
        assertEquals("demo://x", ((PrivateRequest) sent).uri());
    }

    @Test
    void aRecordWithoutMetaGoesAsItWas() {
        NoMeta request = new NoMeta("demo://x");
        assertSame(request, TraceParent.inject(request, span()));
    }

    /** An SDK schema record without meta (SetLevelRequest) goes as the JSON object it stands for, plus _meta. */
    @Test
    void anSdkRecordWithoutMetaGoesAsItsFieldsWithMeta() {
        Span span = span();
        Object sent = TraceParent.inject(new io.modelcontextprotocol.spec.McpSchema.SetLevelRequest("info", null), span);
        assertEquals(Map.of("level", "info", "_meta", Map.of("traceparent", TraceParent.format(span))), sent,
                "null components left out, as the SDK's NON_ABSENT records are written");
    }

    @Test
    void theSampledFlagIsTheCallersWhenThereIsOneElseTheRatesByTraceId() {
        Span unsampledCaller = span();
        assertTrue(TraceParent.join(unsampledCaller, "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-00"));
        assertEquals(Boolean.FALSE, unsampledCaller.callerSampled);
        Span child = Span.start(Span.KIND_CLIENT, McpMethod.TOOLS_CALL, unsampledCaller);
        assertTrue(TraceParent.format(child).endsWith("-00"), "a child inherits its trace's decision");
        try {
            TraceSampling.rate(0);
            assertTrue(TraceParent.format(span()).endsWith("-00"));
            TraceSampling.rate(1);
            assertTrue(TraceParent.format(span()).endsWith("-01"));
        } finally {
            TraceSampling.rate(1);
        }
    }
}
