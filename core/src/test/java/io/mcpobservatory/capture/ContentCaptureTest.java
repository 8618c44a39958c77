package io.mcpobservatory.capture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mcpobservatory.bootstrap.McpMethod;
import io.mcpobservatory.bootstrap.Payload;
import io.mcpobservatory.bootstrap.Span;
import io.mcpobservatory.privacy.IdHasher;
import io.mcpobservatory.privacy.Masker;
import io.mcpobservatory.privacy.PrivacyConfig;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * What capture makes of the payloads, with the real masker: which payload is which column per method, masking before the
 * cut (no secret left in pieces), the cut and its marker, and the error message masked with capture on or off.
 */
class ContentCaptureTest {

    private static final Masker MASKER = Masker.create(PrivacyConfig.defaults());
    private static final String EMAIL = "ada.lovelace@example.org";

    private static Span span(McpMethod method) {
        return Span.start(Span.KIND_SERVER, method, null);
    }

    private static Payload text(String... texts) {
        Payload payload = new Payload();
        for (String text : texts) {
            payload.text(text);
        }
        return payload;
    }

    private static Payload structured(Object value) {
        Payload payload = new Payload();
        payload.structured(value);
        return payload;
    }

    private static ContentCapture capture(int maxChars) {
        return new ContentCapture(MASKER, maxChars);
    }

    @Test
    void aToolCallsArgumentsAndResultAreMaskedJsonAndText() {
        Span span = span(McpMethod.TOOLS_CALL);
        Map<String, Object> arguments = new LinkedHashMap<>();
        arguments.put("user", "ada");
        arguments.put("password", "hunter2");
        arguments.put("note", "write to " + EMAIL);
        span.completionPayload = structured(arguments);
        span.promptPayload = text("first item", "card 4111 1111 1111 1111 charged");
        capture(8192).apply(span);
        assertEquals("{\"user\":\"ada\",\"password\":\"[REDACTED:key]\",\"note\":\"write to [REDACTED:email]\"}",
                span.toolArguments);
        assertEquals("first item\ncard [REDACTED:card] charged", span.toolResult);
        assertEquals("hunter2", arguments.get("password"), "the application's own map is never changed");
    }

    @Test
    void samplingsMessagesAreTheRequestAndWhatTheModelSaidTheResult() {
        Span span = span(McpMethod.SAMPLING_CREATE_MESSAGE);
        span.promptPayload = text("What is 2+2?");
        span.completionPayload = text("4");
        capture(8192).apply(span);
        assertEquals("What is 2+2?", span.toolArguments);
        assertEquals("4", span.toolResult);
    }

    @Test
    void resourcesAndPromptsHaveAResultOnlyAndOtherMethodsNothing() {
        Span read = span(McpMethod.RESOURCES_READ);
        read.promptPayload = text("file text");
        Span list = span(McpMethod.TOOLS_LIST);
        list.promptPayload = text("catalog");
        ContentCapture capture = capture(8192);
        capture.apply(read);
        capture.apply(list);
        assertNull(read.toolArguments);
        assertEquals("file text", read.toolResult);
        assertNull(list.toolResult);
    }

    @Test
    void aLongTextIsMaskedBeforeItIsCutSoNoSecretIsLeftInPieces() {
        int max = 100;
        // an e-mail that straddles the cut: cut first, "ada.lovel" would be kept, no longer an address
        String text = "x ".repeat((max - 9) / 2) + "x" + EMAIL + " " + "y".repeat(10_000);
        Span span = span(McpMethod.TOOLS_CALL);
        span.promptPayload = text(text);
        capture(max).apply(span);
        assertFalse(span.toolResult.contains("ada"), span.toolResult);
        assertTrue(span.toolResult.matches("(?s).*…\\[cut: \\d+ more chars]"), span.toolResult);
        assertTrue(span.toolResult.length() <= max + "…[cut: 99999 more chars]".length());
    }

    @Test
    void aSecretJustPastTheScannedPartIsNeverKept() {
        int max = 100;
        // the masker sees max + MARGIN characters; an address starting just inside that end is cut in two by it
        String text = "x ".repeat((max + ContentCapture.MARGIN - 6) / 2) + EMAIL + " " + "y".repeat(50);
        Span span = span(McpMethod.TOOLS_CALL);
        span.promptPayload = text(text);
        capture(max).apply(span);
        assertFalse(span.toolResult.contains("ada"), span.toolResult);
        assertEquals(max, span.toolResult.indexOf('…'));
    }

    @Test
    void partsPastTheLimitAreCountedInTheMarker() {
        Span span = span(McpMethod.TOOLS_CALL);
        span.promptPayload = text("a".repeat(30), "b".repeat(30), "c".repeat(30));
        capture(40).apply(span);
        assertEquals("a".repeat(30) + "\n" + "b".repeat(9) + "…[cut: 51 more chars]", span.toolResult);
    }

    @Test
    void errorMessagesAreMaskedWithCaptureOnOrOff() {
        for (boolean capture : new boolean[] {false, true}) {
            Span span = span(McpMethod.TOOLS_CALL);
            span.errorMessage = "no account for " + EMAIL;
            span.completionPayload = text("arguments with " + EMAIL);
            new SpanPrivacy(MASKER, capture, 8192, null).accept(span);
            assertEquals("no account for [REDACTED:email]", span.errorMessage);
            assertEquals(capture ? "arguments with [REDACTED:email]" : null, span.toolArguments);
        }
    }

    @Test
    void sessionIdsAreHashedWhenAskedTheSameIdTheSameHash() {
        IdHasher ids = IdHasher.from(Map.of(IdHasher.HASH_IDS, "true", IdHasher.SALT, "deployment-salt"));
        SpanPrivacy privacy = new SpanPrivacy(MASKER, false, 8192, ids);
        String[] hashes = new String[3];
        String[] sessions = {"session-a", "session-b", "session-a"};
        for (int i = 0; i < 3; i++) {
            Span span = span(McpMethod.TOOLS_CALL);
            span.sessionId = sessions[i];
            privacy.accept(span);
            hashes[i] = span.sessionId;
        }
        assertTrue(hashes[0].matches("sha256:[0-9a-f]{64}"), hashes[0]);
        assertEquals(ids.hash("session-a"), hashes[0]);
        assertEquals(hashes[0], hashes[2]);
        assertFalse(hashes[0].equals(hashes[1]));
        Span unhashed = span(McpMethod.TOOLS_CALL);
        unhashed.sessionId = "session-a";
        new SpanPrivacy(MASKER, false, 8192, null).accept(unhashed);
        assertEquals("session-a", unhashed.sessionId);
    }

    @Test
    void surrogatePairsAreNeverSplit() {
        assertEquals("ab", ContentCapture.cutAt("ab\uD83D\uDE00", 3));
        assertEquals("ab\uD83D\uDE00", ContentCapture.cutAt("ab\uD83D\uDE00c", 4));
    }
}
