package io.mcpobservatory.bootstrap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
        return Span.start(Span.KIND_SERVER, McpMethod.of(method), null);
    }

    /** What the method's table entry reads from a request's params. */
    private static void params(Span span, Object params) {
        span.method.readParams(span, params);
    }

    /** What the method's table entry reads from a result. */
    private static void result(Span span, Object result) {
        span.method.readResult(span, result);
    }

    @Test
    void toolResultTextIsKeptByReferenceAndArgumentsAsJson() {
        Span span = span("tools/call");
        String text = "Sunny, 21 degrees";
        params(span, Map.of("name", "get_forecast", "arguments", Map.of("city", "Paris")));
        result(span, new CallToolResult(List.of(new TextContent(null, text)), false, Map.of("t", 21)));
        assertEquals(1, span.promptPayload.parts.size());
        assertTrue(((Payload.Text) span.promptPayload.parts.get(0)).text() == text, "the text itself, not a copy");
        assertEquals(new Payload.Structured(Map.of("city", "Paris")), span.completionPayload.parts.get(0));
        assertEquals("get_forecast", span.toolName);
    }

    @Test
    void structuredContentCountsOnlyWhenNoTextRepeatsIt() {
        Span span = span("tools/call");
        result(span, new CallToolResult(List.of(), false, Map.of("temperature", 21)));
        assertEquals(List.of(new Payload.Structured(Map.of("temperature", 21))), span.promptPayload.parts);
    }

    @Test
    void imagesArePricedByRuleAndAudioIsNotCounted() {
        Span span = span("tools/call");
        // a 1x1 PNG
        String png = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==";
        result(span, new CallToolResult(List.of(new ImageContent(null, png, "image/png"),
                new AudioContent(null, "AAAA", "audio/wav")), false, null));
        assertEquals(1, span.promptPayload.ruleTokens);
        assertTrue(span.promptPayload.parts.isEmpty());
    }

    @Test
    void aTextPastTheCapIsSlicedToTheCapOnTheRequestThread() {
        Span span = span("resources/read");
        String huge = "word ".repeat(2_000_000); // 10 M chars
        result(span, Map.of("contents", List.of(Map.of("uri", "file:///big", "text", huge))));
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
        result(span, Map.of("tools", tools));
        Payload.Catalog catalog = assertInstanceOf(Payload.Catalog.class, span.promptPayload.parts.get(0));
        assertTrue(catalog.tools() == tools, "the application's list itself: nothing built on the request thread");
    }

    @Test
    void methodsWithoutCaptureKeepNothingAndUnknownMethodsAreSpansByName() {
        Span ping = span("ping");
        result(ping, Map.of("content", List.of(new TextContent(null, "x"))));
        assertNull(ping.promptPayload);
        Span custom = span("acme/" + "x".repeat(5000));
        params(custom, Map.of("name", "n", "arguments", Map.of()));
        result(custom, new CallToolResult(List.of(new TextContent(null, "x")), true, null));
        assertNull(custom.promptPayload);
        assertNull(custom.completionPayload);
        assertNull(custom.toolName);
        assertNull(custom.errorType, "isError means tool_error for tools/call only");
        assertFalse(custom.method.isKnown());
        assertEquals(Span.MAX_TEXT_CHARS, custom.method.name.length(), "a made-up name is cut like any text");
    }

    @Test
    void samplingIsAModelCallOnTheSideThatSendsIt() {
        Span sent = Span.start(Span.KIND_CLIENT, McpMethod.SAMPLING_CREATE_MESSAGE, null);
        Map<String, Object> request = Map.of("systemPrompt", "Be brief.",
                "messages", List.of(Map.of("role", "user", "content", new TextContent(null, "Weather?"))));
        params(sent, request);
        result(sent, Map.of("model", "claude-sonnet-4-5", "content", new TextContent(null, "Sunny.")));
        assertEquals(2, sent.promptPayload.parts.size());
        assertEquals(new Payload.Text("Sunny."), sent.completionPayload.parts.get(0));
        assertEquals("claude-sonnet-4-5", sent.model);

        Span received = span("sampling/createMessage");
        params(received, request);
        assertNull(received.promptPayload, "the receiving side records the answer, not the prompt again");
    }

    @Test
    void promptsResourcesAndCompletionsNameTheirTargetAndKeepWhatTheyReturn() {
        Span prompt = span("prompts/get");
        params(prompt, Map.of("name", "greeting"));
        result(prompt, Map.of("description", "Greets", "messages",
                List.of(Map.of("role", "user", "content", new TextContent(null, "Hello")))));
        assertEquals("prompts/get greeting", prompt.name());
        assertEquals(List.of(new Payload.Text("Greets"), new Payload.Text("Hello")), prompt.promptPayload.parts);

        Span read = span("resources/read");
        params(read, Map.of("uri", "demo://readme"));
        assertEquals("demo://readme", read.resourceUri);
        assertEquals("resources/read", read.name(), "a resource URI is not in the span name");

        Span subscribe = span("resources/subscribe");
        params(subscribe, Map.of("uri", "demo://readme"));
        assertEquals("demo://readme", subscribe.resourceUri);

        Span complete = span("completion/complete");
        result(complete, Map.of("completion", Map.of("values", List.of("Paris", "Lyon"))));
        assertEquals(List.of(new Payload.Text("Paris"), new Payload.Text("Lyon")), complete.promptPayload.parts);
    }

    @Test
    void aToolResultWithIsErrorIsAToolErrorWithItsFirstText() {
        Span call = span("tools/call");
        result(call, new CallToolResult(List.of(new TextContent(null, "no such city")), true, null));
        assertEquals("tool_error", call.errorType);
        assertEquals("no such city", call.errorMessage);
    }
}
