package io.mcpobservatory.bootstrap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.modelcontextprotocol.common.McpTransportContext;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What the enrichment API's calls do to the span current in a tool's dispatch: raw values on the span, bad values
 * dropped or clamped, a bounded attribute store, nothing after the span ended, nothing outside a handler.
 */
class EnrichmentTest {

    private final List<Span> finished = new ArrayList<>();
    private Span call;
    private Span previous;

    @BeforeEach
    void enterToolCall() {
        Bridge.install(finished::add);
        Map<String, Object> params = Map.of("name", "enriched");
        call = Bridge.statelessMessage(new CurrentSpanTest.Request("2.0", "tools/call", 1, params));
        previous = Bridge.enterToolDispatch(McpTransportContext.EMPTY, params);
    }

    @AfterEach
    void leave() {
        Bridge.exitTool(previous);
        Bridge.install(null);
    }

    @Test
    void valuesLandOnTheCurrentSpan() {
        Object span = Enrichment.current();
        assertSame(call, span);
        Enrichment.retries(span, 2);
        Enrichment.fallbackUsed(span, true);
        Enrichment.confidence(span, 0.64);
        Enrichment.attribute(span, "customer_tier", "gold");
        Enrichment.attribute(span, "items", 3L);
        Enrichment.attribute(span, "ratio", 0.25);
        Enrichment.attribute(span, "cached", false);
        Enrichment.confidenceGate(span, 0.7, true);
        Enrichment.highRiskPath(span);
        Enrichment.promptDiffScore(span, 0.12);
        Enrichment.shadowAgreement(span, false);
        Enrichment.goldenScenario(span, true);

        assertEquals(2, call.retries);
        assertEquals(Boolean.TRUE, call.fallbackUsed);
        assertEquals(0.64, call.confidence);
        Map<String, Object> expected = new LinkedHashMap<>();
        expected.put("customer_tier", "gold");
        expected.put("items", 3L);
        expected.put("ratio", 0.25);
        expected.put("cached", false);
        expected.put("mcp.observatory.confidence_gate.threshold", 0.7);
        expected.put("mcp.observatory.confidence_gate.blocked", true);
        expected.put("mcp.observatory.high_risk_path", true);
        expected.put("mcp.observatory.prompt_diff_score", 0.12);
        expected.put("mcp.observatory.shadow_agreement", false);
        expected.put("mcp.observatory.golden_scenario.passed", true);
        assertEquals(expected, attributes(call));
    }

    @Test
    void badValuesAreDroppedOrClamped() {
        Object span = Enrichment.current();
        Enrichment.confidence(span, 0.5);
        Enrichment.confidence(span, Double.NaN);
        assertEquals(0.5, call.confidence, "NaN is ignored");
        Enrichment.confidence(span, Double.NEGATIVE_INFINITY);
        assertEquals(0.5, call.confidence, "so is an infinity");
        Enrichment.confidence(span, 7);
        assertEquals(1.0, call.confidence, "clamped to [0, 1]");
        Enrichment.confidence(span, -0.5);
        assertEquals(0.0, call.confidence);
        Enrichment.retries(span, 1);
        Enrichment.retries(span, -1);
        assertEquals(1, call.retries, "a negative count is ignored");

        Enrichment.attribute(span, null, "v");
        Enrichment.attribute(span, "", "v");
        Enrichment.attribute(span, "text", null);
        Enrichment.attribute(span, "nan", Double.NaN);
        Enrichment.promptDiffScore(span, Double.POSITIVE_INFINITY);
        Enrichment.attribute(span, "x".repeat(5000), "y".repeat(1_000_000));
        Map<String, Object> attributes = attributes(call);
        assertEquals(1, attributes.size(), attributes.keySet().toString());
        assertEquals("y".repeat(Span.MAX_TEXT_CHARS), attributes.get("x".repeat(Span.MAX_TEXT_CHARS)), "cut");

        Enrichment.retries("not a span", 3);
        Enrichment.attribute(null, "k", "v");
        assertEquals(1, call.retries, "anything but a span is ignored");
    }

    @Test
    void atMost32KeysAndASecondValueReplacesTheFirst() {
        Object span = Enrichment.current();
        for (int i = 0; i < 40; i++) {
            Enrichment.attribute(span, "k" + i, (long) i);
        }
        Enrichment.attribute(span, "k0", "again");
        Map<String, Object> attributes = attributes(call);
        assertEquals(SpanAttributes.MAX_ENTRIES, attributes.size());
        assertEquals("again", attributes.get("k0"));
        assertEquals(31L, attributes.get("k31"));
        assertFalse(attributes.containsKey("k32"));
        long bound = call.estimatedBytes();
        Enrichment.attribute(span, "k1", "z".repeat(1000));
        assertTrue(call.estimatedBytes() >= bound + 2000, "the pipeline's byte bound counts attributes");
    }

    @Test
    void nothingLandsAfterTheSpanEnded() {
        Object span = Enrichment.current();
        call.end();
        assertNull(Enrichment.current(), "an ended span is nobody's current span");
        Enrichment.confidence(span, 0.9);
        Enrichment.highRiskPath(span);
        Enrichment.deterministicFallback(span);
        assertNull(call.confidence);
        assertNull(call.attributes);
        assertNull(call.fallbackUsed);
    }

    @Test
    void outsideAHandlerOrSwitchedOffThereIsNoSpan() throws Exception {
        Object[] seen = {"unset"};
        Thread other = new Thread(() -> seen[0] = Enrichment.current());
        other.start();
        other.join();
        assertNull(seen[0], "another thread has no current span");
        Bridge.install(null);
        assertFalse(Enrichment.active());
        assertNull(Enrichment.current(), "the agent switched off records nothing");
    }

    @Test
    void enterMakesASpanCurrentOnAnotherThreadAndExitRestores() throws Exception {
        Object span = Enrichment.current();
        Object[] seen = new Object[3];
        Thread other = new Thread(() -> {
            Object before = Enrichment.enter(span);
            seen[0] = Enrichment.current();
            seen[1] = Bridge.clientRequest(new Object(), "tools/call", null).parentSpanId;
            Enrichment.exit(before);
            seen[2] = Enrichment.current();
        });
        other.start();
        other.join();
        assertSame(call, seen[0]);
        assertEquals(call.spanId, seen[1], "requests sent from the task are the call's children");
        assertNull(seen[2]);
    }

    private static Map<String, Object> attributes(Span span) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < span.attributes.size(); i++) {
            map.put(span.attributes.key(i), span.attributes.value(i));
        }
        return map;
    }
}
