package io.mcpobservatory.bootstrap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What the request thread keeps of results and arguments, on records shaped like the SDK's and on parsed-JSON maps. */
class PayloadCaptureTest {

    record TextContent(Object annotations, String text) { }

    record ImageContent(Object annotations, String data, String mimeType) { }

    record AudioContent(Object annotations, String data, String mimeType) { }

    record CallToolResult(List<Object> content, Boolean isError, Map<String, Object> structuredContent) { }

    private static Span span(String method) {
        return Span.start(Span.KIND_SERVER, method, null);
    }

    @Test
    void toolResultTextIsKeptByReferenceAndArgumentsAsJson() {
        Span span = span("tools/call");
        String text = "Sunny, 21 degrees";
        PayloadCapture.request(span, Map.of("name", "get_forecast", "arguments", Map.of("city", "Paris")));
        PayloadCapture.result(span, new CallToolResult(List.of(new TextContent(null, text)), false, Map.of("t", 21)));
        assertEquals(1, span.promptPayload.parts.size());
        assertTrue(span.promptPayload.parts.get(0) == text, "the text itself, not a copy");
        assertEquals(Map.of("city", "Paris"), span.completionPayload.parts.get(0));
    }

    @Test
    void structuredContentCountsOnlyWhenNoTextRepeatsIt() {
        Span span = span("tools/call");
        PayloadCapture.result(span, new CallToolResult(List.of(), false, Map.of("temperature", 21)));
        assertEquals(List.of(Map.of("temperature", 21)), span.promptPayload.parts);
    }

    @Test
    void imagesArePricedByRuleAndAudioIsNotCounted() {
        Span span = span("tools/call");
        // a 1x1 PNG
        String png = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==";
        PayloadCapture.result(span, new CallToolResult(List.of(new ImageContent(null, png, "image/png"),
                new AudioContent(null, "AAAA", "audio/wav")), false, null));
        assertEquals(1, span.promptPayload.ruleTokens);
        assertTrue(span.promptPayload.parts.isEmpty());
    }

    @Test
    void aTextPastTheCapIsSlicedToTheCapOnTheRequestThread() {
        Span span = span("resources/read");
        String huge = "word ".repeat(2_000_000); // 10 M chars
        PayloadCapture.result(span, Map.of("contents", List.of(Map.of("uri", "file:///big", "text", huge))));
        Payload.Sliced sliced = assertInstanceOf(Payload.Sliced.class, span.promptPayload.parts.get(0));
        assertEquals(huge.length(), sliced.fullChars);
        long kept = 0;
        for (String slice : sliced.slices) {
            kept += slice.length();
        }
        assertTrue(kept <= Payload.maxChars + 1000 * 32, "kept " + kept);
        assertTrue(span.promptPayload.estimatedBytes() < 4L * Payload.maxChars, "retained " + span.promptPayload.estimatedBytes());
    }

    @Test
    void slicesNeverStartInsideASurrogatePairAndThinOutEvenly() {
        String emoji = "\uD83D\uDE00".repeat(100_000); // no whitespace anywhere: edges fall where they fall
        Payload.Sliced sliced = Payload.slice(emoji, 10_000);
        for (String slice : sliced.slices) {
            assertTrue(!Character.isLowSurrogate(slice.charAt(0)), "a slice starts with half an emoji");
        }
        Payload.Sliced thinner = sliced.within(2_000);
        assertTrue(thinner.sampledChars() <= 2_000, "" + thinner.sampledChars());
        assertEquals(sliced.slices[0], thinner.slices[0]);
        assertEquals(sliced.fullChars, thinner.fullChars);
    }

    @Test
    void catalogIsKeptByReferenceForTheDrainer() {
        Span span = span("tools/list");
        List<Object> tools = List.of(Map.of("name", "t", "description", "d"));
        PayloadCapture.result(span, Map.of("tools", tools));
        Payload.Catalog catalog = assertInstanceOf(Payload.Catalog.class, span.promptPayload.parts.get(0));
        assertTrue(catalog.tools == tools, "the application's list itself: nothing built on the request thread");
    }

    @Test
    void otherMethodsAndDisabledCaptureKeepNothing() {
        Span ping = span("ping");
        PayloadCapture.result(ping, Map.of());
        assertNull(ping.promptPayload);
        PayloadCapture.enabled = false;
        try {
            Span call = span("tools/call");
            PayloadCapture.result(call, new CallToolResult(List.of(new TextContent(null, "x")), false, null));
            assertNull(call.promptPayload);
        } finally {
            PayloadCapture.enabled = true;
        }
    }
}
