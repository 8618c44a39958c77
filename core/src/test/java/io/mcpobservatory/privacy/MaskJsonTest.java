package io.mcpobservatory.privacy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** JSON text and Java values: sensitive keys at any depth, detectors on values and keys, what is kept as it was. */
class MaskJsonTest {

    private static final Masker MASKER = Masker.create(PrivacyConfig.defaults());

    @Test
    void sensitiveKeysAtAnyDepthLoseTheirWholeValueWhateverItsType() {
        MaskCounts counts = new MaskCounts();
        String json = "{\"user\":\"bob\",\"password\":\"hunter2\",\"nested\":{\"deep\":[{\"apiKey\":123},"
                + "{\"X-Api-Key\":{\"a\":1,\"b\":[1,2]}},{\"refresh_token\":[\"t1\",\"t2\"]},{\"userPassword\":true}]},"
                + "\"ok\":true,\"n\":null,\"secret\":null,\"max_tokens\":100}";
        assertEquals("{\"user\":\"bob\",\"password\":\"[REDACTED:key]\",\"nested\":{\"deep\":[{\"apiKey\":\"[REDACTED:key]\"},"
                + "{\"X-Api-Key\":\"[REDACTED:key]\"},{\"refresh_token\":\"[REDACTED:key]\"},"
                + "{\"userPassword\":\"[REDACTED:key]\"}]},\"ok\":true,\"n\":null,\"secret\":null,\"max_tokens\":100}",
                MASKER.maskJson(json, counts));
        assertEquals(5, counts.count(Masker.KEY), counts.toString());
        assertEquals(5, counts.total());
    }

    @Test
    void detectorsRunOnStringsNumbersAndKeys() {
        MaskCounts counts = new MaskCounts();
        String json = "{\"contact\":\"alice@example.com\",\"pan\":4111111111111111,\"bob@example.org\":{\"ip\":\"10.0.0.1\"},"
                + "\"note\":\"call +14155552671 or write to carol@example.net\",\"count\":1764000000000}";
        assertEquals("{\"contact\":\"[REDACTED:email]\",\"pan\":\"[REDACTED:card]\",\"[REDACTED:email]\":{\"ip\":"
                + "\"[REDACTED:ipv4]\"},\"note\":\"call [REDACTED:phone] or write to [REDACTED:email]\","
                + "\"count\":1764000000000}", MASKER.maskJson(json, counts));
        assertEquals(Map.of("email", 3, "card", 1, "ipv4", 1, "phone", 1), counts.byKind());
    }

    @Test
    void writtenBackCompactlyWithNumbersAndEscapesAsTheyWere() {
        assertEquals("{\"a\":1.50,\"b\":[true,false,null],\"c\":\"x\\\"y\",\"d\":1e3,\"e\":-0}",
                MASKER.maskJson("{ \"a\" : 1.50, \"b\" : [ true, false, null ],\n \"c\": \"x\\\"y\", \"d\": 1e3, \"e\": -0 }"));
    }

    @Test
    void escapesDoNotHideAValue() {
        // \u0040 is '@': the raw text has no '@', the string has
        assertEquals("{\"m\":\"mail [REDACTED:email]\"}", MASKER.maskJson("{\"m\":\"mail alice\\u0040example.com\"}"));
    }

    @Test
    void textThatIsNotJsonIsMaskedAsText() {
        assertEquals("not json: password=[REDACTED:key], [REDACTED:email]",
                MASKER.maskJson("not json: password=hunter2, alice@example.com"));
    }

    @Test
    void jsonCutShortIsMaskedAsJsonAsFarAsItGoesThenAsText() {
        assertEquals("{\"a\":\"[REDACTED:email]\",\"password\":[REDACTED:key]",
                MASKER.maskJson("{\"a\":\"alice@example.com\",\"password\":\"hun"));
        assertEquals("{\"a\":[1,2],\"b\":\"x [REDACTED:email] y",
                MASKER.maskJson("{\"a\":[1, 2],\"b\":\"x alice@example.com y"));
        assertEquals("{\"token\":[REDACTED:key]", MASKER.maskJson("{\"token\":{\"a\":[1,2,"));
        // two root values (written with Jackson's separator), then a bracket that does not match: from there, text
        assertEquals("{\"a\":1} {\"b\":\"password=[REDACTED:key]\"]",
                MASKER.maskJson("{\"a\":1}{\"b\": \"password=x\" ]"));
    }

    /** A tool result cut at the capture limit inside its text content, which holds JSON of its own, escaped. */
    @Test
    void aCutStringIsDecodedBeforeItIsMasked() {
        String cut = "{\"content\":[{\"type\":\"text\",\"text\":\"{\\\"password\\\":\\\"hunter2\\\","
                + "\\\"mail\\\":\\\"alice\\u0040example.com\\\",\\\"note\\\":\\\"line\\nbreak";
        assertEquals("{\"content\":[{\"type\":\"text\",\"text\":\"{\\\"password\\\":\\\"[REDACTED:key]\\\","
                + "\\\"mail\\\":\\\"[REDACTED:email]\\\",\\\"note\\\":\\\"line\\nbreak",
                MASKER.maskJson(cut));
        // a string that fails for another reason (a raw line break) and the text after it
        assertEquals("{\"a\":\"x\\n[REDACTED:email]\" password=[REDACTED:key]",
                MASKER.maskJson("{\"a\":\"x\nalice@example.com\" password=hunter2"));
    }

    @Test
    void javaValuesAsTheSdkHandsThemOver() {
        Map<String, Object> arguments = new LinkedHashMap<>();
        arguments.put("query", "orders of alice@example.com");
        arguments.put("limit", 10);
        arguments.put("card", 4111111111111111L);
        arguments.put("Authorization", "Bearer abc");
        arguments.put("tags", List.of("a", "10.0.0.1"));
        arguments.put("ids", new int[] {1, 2});
        arguments.put("password", null);
        arguments.put("nested", Map.of("client_secret", Map.of("x", 1)));
        MaskCounts counts = new MaskCounts();
        Object masked = MASKER.mask(arguments, counts);
        Map<String, Object> expected = new LinkedHashMap<>();
        expected.put("query", "orders of [REDACTED:email]");
        expected.put("limit", 10);
        expected.put("card", "[REDACTED:card]");
        expected.put("Authorization", "[REDACTED:key]");
        expected.put("tags", List.of("a", "[REDACTED:ipv4]"));
        expected.put("ids", List.of(1, 2));
        expected.put("password", null);
        expected.put("nested", Map.of("client_secret", "[REDACTED:key]"));
        assertEquals(expected, masked);
        assertEquals(Map.of("email", 1, "card", 1, "key", 2, "ipv4", 1), counts.byKind());
    }

    @Test
    void aCycleOrAVeryDeepStructureEndsInAMarker() {
        List<Object> cycle = new ArrayList<>();
        cycle.add("alice@example.com");
        cycle.add(cycle);
        String text = String.valueOf(MASKER.mask(cycle));
        assertTrue(text.contains("[REDACTED:depth]"), text);
        assertFalse(text.contains("alice"), text);
    }

    @Test
    void theCutKeepsNoHalfOfAValueAndSaysHowMuchWasNotScanned() {
        Masker small = Masker.create(PrivacyConfig.defaults().withMaxChars(100));
        String text = "x".repeat(90) + " alice@example.com " + "y".repeat(191);
        MaskCounts counts = new MaskCounts();
        assertEquals("x".repeat(90) + " [REDACTED:email][TRUNCATED:200 chars]", small.maskText(text, counts));
        assertEquals(200, counts.charsNotScanned());
        assertEquals(1, counts.count("email"));

        String json = "{\"a\":\"" + "x".repeat(200) + "\",\"b\":\"alice@example.com\"}";
        MaskCounts jsonCounts = new MaskCounts();
        String masked = small.maskJson(json, jsonCounts);
        // the key "a" took one character of the budget
        assertEquals("{\"a\":\"" + "x".repeat(99) + "[TRUNCATED:101 chars]\"[TRUNCATED:25 chars]", masked);
        assertEquals(126, jsonCounts.charsNotScanned());
    }
}
