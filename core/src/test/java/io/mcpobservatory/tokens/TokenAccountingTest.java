package io.mcpobservatory.tokens;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.knuddels.jtokkit.api.Encoding;
import io.mcpobservatory.bootstrap.Payload;
import io.mcpobservatory.bootstrap.McpMethod;
import io.mcpobservatory.bootstrap.Span;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

/**
 * The drainer's side of tokens, on payloads captured the way the request thread captures them ({@link Payload}): exact
 * counts, JSON of structured parts, the per-payload cap and its extrapolation, model and cost. Expected counts come from
 * JTokkit's own API.
 */
class TokenAccountingTest {

    private static final Encoding O200K = JTokkitReference.of(TokenCounter.O200K_BASE);

    private final TokenAccounting accounting = new TokenAccounting(new TokenCounter(TokenCounter.O200K_BASE),
            PriceTable.load(Map.of("house-model", new PriceTable.Price(1.0, 4.0))), "house-model");

    private static Span toolCall(Payload result, Payload arguments) {
        Span span = Span.start(Span.KIND_SERVER, McpMethod.TOOLS_CALL, null);
        span.promptPayload = result;
        span.completionPayload = arguments;
        return span;
    }

    @Test
    void textsAndJsonAreCountedExactlyAndPriced() {
        Payload result = new Payload();
        result.text("Sunny, 21 °C in Paris");
        result.text("東京は晴れ 🌞");
        Payload arguments = new Payload();
        Map<String, Object> args = new LinkedHashMap<>();
        args.put("city", "Paris");
        args.put("days", 3);
        args.put("tags", List.of("a", "b"));
        arguments.structured(args);
        Span span = toolCall(result, arguments);
        accounting.apply(span);

        long in = O200K.countTokensOrdinary("Sunny, 21 °C in Paris") + O200K.countTokensOrdinary("東京は晴れ 🌞");
        long out = O200K.countTokensOrdinary("{\"city\":\"Paris\",\"days\":3,\"tags\":[\"a\",\"b\"]}");
        assertEquals(in, span.promptTokens);
        assertEquals(out, span.completionTokens);
        assertEquals("house-model", span.model);
        assertEquals(in * 1.0 / 1e6 + out * 4.0 / 1e6, span.costUsd, 1e-15);
        assertFalse(span.tokensEstimated);
        assertNull(span.promptPayload, "payloads are let go once counted");
    }

    record Schema(String type, Map<String, Object> properties, List<String> required) { }

    @Test
    void recordsAreWrittenByTheirNonNullComponents() {
        Payload catalog = new Payload();
        Map<String, Object> tool = new LinkedHashMap<>();
        tool.put("name", "t");
        tool.put("inputSchema", new Schema("object", Map.of(), null));
        catalog.structured(List.of(tool));
        Span span = Span.start(Span.KIND_SERVER, McpMethod.TOOLS_LIST, null);
        span.promptPayload = catalog;
        accounting.apply(span);
        assertEquals(O200K.countTokensOrdinary("[{\"name\":\"t\",\"inputSchema\":{\"type\":\"object\",\"properties\":{}}}]"),
                span.promptTokens);
        assertEquals(-1, span.completionTokens, "no completion payload, no completion tokens");
    }

    @Test
    void theCatalogIsWhatAClientShowsItsModel() {
        Map<String, Object> tool = new LinkedHashMap<>();
        tool.put("name", "t");
        tool.put("title", "For humans");
        tool.put("description", "d");
        tool.put("inputSchema", Map.of("type", "object"));
        tool.put("annotations", Map.of("readOnlyHint", true));
        Payload catalog = new Payload();
        catalog.catalog(List.of(tool));
        Span span = Span.start(Span.KIND_SERVER, McpMethod.TOOLS_LIST, null);
        span.promptPayload = catalog;
        accounting.apply(span);
        assertEquals(O200K.countTokensOrdinary("[{\"name\":\"t\",\"description\":\"d\",\"inputSchema\":{\"type\":"
                + "\"object\"}}]"), span.promptTokens);
    }

    @Test
    void aSamplingSpanIsPricedWithTheModelThatAnswered() {
        Payload generated = new Payload();
        generated.text("It will rain.");
        Span span = Span.start(Span.KIND_CLIENT, McpMethod.SAMPLING_CREATE_MESSAGE, null);
        span.model = "claude-sonnet-4-5-20250929";
        span.completionPayload = generated;
        accounting.apply(span);
        assertEquals("claude-sonnet-4-5-20250929", span.model);
        assertEquals(O200K.countTokensOrdinary("It will rain.") * 15.0 / 1e6, span.costUsd, 1e-15);
    }

    @Test
    void severalTextsPastTheCapTogetherAreSampledAndMarkedEstimated() {
        Random random = new Random(7);
        Payload result = new Payload();
        long exact = 0;
        for (int i = 0; i < 4; i++) { // 4 x 60,000 chars: each under the cap, together past it
            String text = TokenCounterTest.mixedPayload(random, 60_000, TokenCounterTest.Layout.INTERLEAVED);
            result.text(text);
            exact += O200K.countTokensOrdinary(text);
        }
        Span span = toolCall(result, null);
        accounting.apply(span);
        assertTrue(span.tokensEstimated);
        assertTrue(Math.abs(span.promptTokens - exact) < 0.05 * exact, span.promptTokens + " vs " + exact);
    }

    @Test
    void whileTheDrainerIsBehindTextsAreEstimatedAtFourCharsAToken() {
        Payload result = new Payload();
        result.text("x".repeat(1001));
        Span span = toolCall(result, null);
        new TokenAccounting(new TokenCounter(TokenCounter.O200K_BASE), PriceTable.load(Map.of()), "gpt-4o")
                .whenBehind(() -> true).apply(span);
        assertEquals(251, span.promptTokens);
        assertTrue(span.tokensEstimated);
    }

    /** The cap's promise on the path tool results take: sliced on the request thread, extrapolated on the drainer. */
    @ParameterizedTest
    @EnumSource(TokenCounterTest.Layout.class)
    void fiveMegabyteResultSlicedAtCaptureIsWithinFivePercent(TokenCounterTest.Layout layout) {
        String text = TokenCounterTest.mixedPayload(new Random(42), 5 * 1024 * 1024, layout);
        Payload result = new Payload();
        result.text(text);
        assertTrue(result.estimatedBytes() < 4L * Payload.maxChars, "the capture keeps about the cap, not the text");
        Span span = toolCall(result, null);
        accounting.apply(span);
        long exact = O200K.countTokensOrdinary(text);
        double error = Math.abs(span.promptTokens - exact) / (double) exact;
        assertTrue(span.tokensEstimated);
        assertTrue(error < 0.05, layout + ": estimated " + span.promptTokens + ", exact " + exact + ", error " + error);
        System.out.printf("%s: estimated %d, exact %d, error %.4f%n", layout, span.promptTokens, exact, error);
    }
}
