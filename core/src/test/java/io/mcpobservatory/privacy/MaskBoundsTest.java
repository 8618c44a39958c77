package io.mcpobservatory.privacy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Hostile input of 1 MB finishes: each string is built to make a backtracking matcher go quadratic or worse (a long run
 * that almost matches, repeated anchors, separators without end). The timeout is generous (2 s, against some 10-50 ms
 * measured) and only catches a blow-up; the speed itself is measured with JMH. Each input ends with an address, which
 * must be masked: the whole text was scanned, not given up on.
 */
class MaskBoundsTest {

    private static final int MB = 1 << 20;
    private static final Duration GENEROUS = Duration.ofSeconds(2);
    private static final Masker MASKER = Masker.create(PrivacyConfig.defaults().withMaxChars(4 * MB));
    private static final String TAIL = " alice@example.com";

    static String fill(String unit) {
        return unit.repeat(MB / unit.length());
    }

    static Stream<Arguments> hostileText() {
        return Stream.of(
                "a", "a@", "a.", "@a.", "1-", "1 ", "1", "4111 ", "4111-1111-", "+1 ", "+1", "(555) ", "0", "06 ",
                "eyJ", "eyJabcdefghijk.", "eyJabcdefghijk.ab.", "bearer ", "Bearer a", "sk-", "AKIA", "ghp_", "xoxb-",
                ":", "1:", "a:", "::", "1::", "1.", "1.1.", "255.", "DE89", "DE89 ", "A", "AB12 ", "password=",
                "password:\"", "password=\"\\", "\"token\":", "secret ", "x=", "-", ".", "_a").map(unit -> {
                    String text = fill(unit);
                    return Arguments.of(unit, text.substring(0, Math.min(text.length(), MB)));
                });
    }

    @ParameterizedTest(name = "1 MB of \"{0}\"")
    @MethodSource("hostileText")
    void hostileTextFinishes(String unit, String text) {
        String masked = assertTimeoutPreemptively(GENEROUS, () -> MASKER.maskText(text + TAIL));
        assertTrue(masked.endsWith("[REDACTED:email]") || masked.endsWith("[REDACTED:key]"),
                () -> "not scanned to the end: ..." + masked.substring(Math.max(0, masked.length() - 80)));
    }

    @Test
    void aBracketAfterASensitiveKeyTakesTheRestAndNoMore() {
        String masked = assertTimeoutPreemptively(GENEROUS, () -> MASKER.maskText("password=" + "{".repeat(MB)));
        assertEquals("password=\"[REDACTED:key]\"", masked);
    }

    @Test
    void deepJsonDoesNotOverflowTheStackAndKeepsNoSecret() {
        String deep = "[".repeat(10_000) + "{\"password\":\"hunter2\",\"mail\":\"alice@example.com\"}" + "]".repeat(10_000);
        String masked = assertTimeoutPreemptively(GENEROUS, () -> MASKER.maskJson(deep));
        assertFalse(masked.contains("hunter2"), "password kept");
        assertFalse(masked.contains("alice@"), "address kept");
        String unclosed = assertTimeoutPreemptively(GENEROUS, () -> MASKER.maskJson("[".repeat(MB) + TAIL));
        assertTrue(unclosed.endsWith("[REDACTED:email]"), "not scanned to the end");
        String objects = assertTimeoutPreemptively(GENEROUS,
                () -> MASKER.maskJson("{\"a\":".repeat(MB / 5) + "\"x\"" + TAIL));
        assertTrue(objects.endsWith("[REDACTED:email]"), "not scanned to the end");
    }

    @Test
    void aLongJsonStringOfHostileTextFinishes() {
        String json = "{\"r\":\"" + fill("4111 ") + "\",\"e\":\"alice@example.com\"}";
        String masked = assertTimeoutPreemptively(GENEROUS, () -> MASKER.maskJson(json));
        assertTrue(masked.endsWith("\"e\":\"[REDACTED:email]\"}"), masked.substring(masked.length() - 40));
    }

    @Test
    void deepJavaStructuresEndInAMarker() {
        Object deep = "alice@example.com";
        for (int i = 0; i < 10_000; i++) {
            deep = i % 2 == 0 ? List.of(deep) : Map.of("k", deep);
        }
        Object root = deep;
        String masked = String.valueOf(assertTimeoutPreemptively(GENEROUS, () -> MASKER.mask(root)));
        assertTrue(masked.contains("[REDACTED:depth]"));
        assertFalse(masked.contains("alice"));
    }

    @Test
    void manyValuesInOneTextFinish() {
        List<String> parts = new ArrayList<>();
        while (parts.size() * 60 < MB) {
            parts.add("alice@example.com 4111 1111 1111 1111 10.0.0.1 +14155552671");
        }
        String text = String.join(" ", parts);
        MaskCounts counts = new MaskCounts();
        assertTimeoutPreemptively(GENEROUS, () -> MASKER.maskText(text, counts));
        assertEquals(parts.size(), counts.count("card"));
        assertEquals(parts.size(), counts.count("phone"));
    }

    /**
     * A user's pattern that backtracks badly is stopped by its read budget, and fails closed. ({@code (x+x+)+y} is
     * polynomial of high degree on JDK 17, whose matcher memoises the classic exponential cases such as {@code (a+)+$}:
     * 14,728 reads for 28 characters, billions for a thousand.)
     */
    @Test
    void aCatastrophicUserPatternIsStoppedAndMasksTheText() {
        Masker masker = Masker.create(PrivacyConfig.from(Map.of("observatory.privacy.patterns.evil", "(x+x+)+y")));
        MaskCounts counts = new MaskCounts();
        String masked = assertTimeoutPreemptively(GENEROUS, () -> masker.maskText("x".repeat(1000) + "!", counts));
        assertEquals("[REDACTED:evil]", masked);
        assertEquals(1, counts.count("evil"));
    }

    @Test
    void aUserPatternMasksItsMatches() {
        Masker masker = Masker.create(PrivacyConfig.from(Map.of("observatory.privacy.patterns.order", "ORD-[0-9]{6}")));
        MaskCounts counts = new MaskCounts();
        assertEquals("orders [REDACTED:order] and [REDACTED:order], [REDACTED:email]",
                masker.maskText("orders ORD-123456 and ORD-654321, alice@example.com", counts));
        assertEquals(Map.of("order", 2, "email", 1), counts.byKind());
    }
}
