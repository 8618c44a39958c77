package io.mcpobservatory.tokens;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.knuddels.jtokkit.api.Encoding;
import io.mcpobservatory.bootstrap.Payload;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

class TokenCounterTest {

    /** The reference: JTokkit's own tokenizer. */
    private static Encoding reference(String encoding) {
        return JTokkitReference.of(encoding);
    }

    private static final String[] PAYLOADS = {
        "Hello, world! The forecast for Paris is sunny with a high of 21 degrees.",
        "東京の天気は晴れです。明日は雨が降るでしょう。最高気温は二十一度です。",
        "Status: ✅ done 🎉🚀 family 👩‍👩‍👧 flags 🇫🇷🇯🇵 and a lone ☃",
        "{\"content\":[{\"type\":\"text\",\"text\":\"21.5 °C\"}],\"structuredContent\":{\"temperature\":21.5,"
                + "\"unit\":\"C\",\"city\":\"Paris\"},\"isError\":false}",
        "The model wrote <|endoftext|> in the middle, and <|fim_prefix|> too; tool output is text.",
    };

    @ParameterizedTest
    @ValueSource(strings = {TokenCounter.O200K_BASE, TokenCounter.CL100K_BASE})
    void exactCountsEqualJtokkitsTokenLists(String encoding) {
        TokenCounter counter = new TokenCounter(encoding);
        for (String payload : PAYLOADS) {
            TokenCounter.Count count = counter.count(payload);
            assertEquals(reference(encoding).encodeOrdinary(payload).size(), count.tokens(), payload);
            assertFalse(count.estimated(), payload);
        }
    }

    @Test
    void knownCountsFromTheReferenceTokenizer() {
        // Published tiktoken examples: "tiktoken is great!" is 6 cl100k tokens, "hello world" 2 in both encodings.
        assertEquals(6, new TokenCounter(TokenCounter.CL100K_BASE).count("tiktoken is great!").tokens());
        assertEquals(2, new TokenCounter(TokenCounter.CL100K_BASE).count("hello world").tokens());
        assertEquals(2, new TokenCounter(TokenCounter.O200K_BASE).count("hello world").tokens());
    }

    @ParameterizedTest
    @ValueSource(strings = {TokenCounter.O200K_BASE, TokenCounter.CL100K_BASE})
    void specialTokensInToolOutputAreOrdinaryText(String encoding) {
        // A special token is one token; as text it is several, and JTokkit's non-ordinary count refuses it.
        TokenCounter.Count count = new TokenCounter(encoding).count("<|endoftext|>");
        assertTrue(count.tokens() > 1, "counted as " + count.tokens());
        assertFalse(count.estimated());
        assertThrows(UnsupportedOperationException.class, () -> reference(encoding).countTokens("<|endoftext|>"));
    }

    @Test
    void nullAndEmptyAreZero() {
        TokenCounter counter = new TokenCounter(TokenCounter.O200K_BASE);
        assertEquals(new TokenCounter.Count(0, false), counter.count((String) null));
        assertEquals(new TokenCounter.Count(0, false), counter.count(""));
    }

    @Test
    void exactUpToMaxCharsEstimatedBeyond() {
        TokenCounter counter = new TokenCounter(TokenCounter.O200K_BASE, 5_000);
        String text = mixedPayload(new Random(7), 20_000, Layout.INTERLEAVED);
        assertFalse(counter.count(text.substring(0, 5_000)).estimated());
        assertTrue(counter.count(text.substring(0, 5_001)).estimated());
    }

    @Test
    void rejectsUnknownEncodingAndNonPositiveCap() {
        assertThrows(IllegalArgumentException.class, () -> new TokenCounter("p50k_base"));
        assertThrows(IllegalArgumentException.class, () -> new TokenCounter(TokenCounter.O200K_BASE, 0));
    }

    /** The cap's promise: a 5 MB tool result of mixed content, tokenized on 100,000 chars, within 5% of the truth. */
    @ParameterizedTest
    @EnumSource(Layout.class)
    void extrapolationWithinFivePercentOnFiveMegabytes(Layout layout) {
        String text = mixedPayload(new Random(42), 5 * 1024 * 1024, layout);
        for (String encoding : new String[] {TokenCounter.O200K_BASE, TokenCounter.CL100K_BASE}) {
            long exact = reference(encoding).countTokensOrdinary(text);
            TokenCounter.Count estimate = new TokenCounter(encoding).count(text);
            assertTrue(estimate.estimated());
            double error = Math.abs(estimate.tokens() - exact) / (double) exact;
            assertTrue(error < 0.05, encoding + " " + layout + ": estimated " + estimate.tokens() + ", exact " + exact
                    + ", error " + error);
        }
    }

    @Test
    void aSampledTextScalesTheSlicesCountByCharacters() {
        TokenCounter counter = new TokenCounter(TokenCounter.O200K_BASE);
        String slice = "hello world ";
        long perSlice = reference(TokenCounter.O200K_BASE).countTokensOrdinary(slice);
        TokenCounter.Count count = counter.count(new Payload.Sliced(new String[] {slice, slice}, 240));
        assertEquals(perSlice * 2 * 10, count.tokens()); // 24 chars sampled stand for 240
        assertTrue(count.estimated());
    }

    @Test
    void capSmallerThanASliceStillSamples() {
        TokenCounter counter = new TokenCounter(TokenCounter.O200K_BASE, 100);
        String text = "word ".repeat(10_000); // one token per "word " after the first
        TokenCounter.Count count = counter.count(text);
        assertTrue(count.estimated());
        assertTrue(Math.abs(count.tokens() - 10_000) < 500, "" + count.tokens());
    }

    /** How the kinds of content are laid out in a payload. */
    enum Layout {
        /** Blocks of 50 to 600 characters (a JSON record, a paragraph, a log line), each of a random kind. */
        INTERLEAVED,
        /** One long run of each kind in turn: a quarter of JSON, then prose, then CJK, then log lines. */
        SECTIONS,
        /** Runs of 0.5 to 5 KB of one kind: the hard case for sampling, as dense and sparse parts alternate quickly. */
        RUNS
    }

    /** Realistic tool results: JSON records (pretty or minified), English prose, Japanese and Chinese, log lines. */
    static String mixedPayload(Random random, int chars, Layout layout) {
        StringBuilder out = new StringBuilder(chars + 8192);
        while (out.length() < chars) {
            switch (layout) {
                case INTERLEAVED -> appendBlock(out, random.nextInt(4), random);
                case SECTIONS -> appendBlock(out, Math.min(3, out.length() * 4 / chars), random);
                case RUNS -> {
                    int kind = random.nextInt(4);
                    int runEnd = out.length() + 500 + random.nextInt(4500);
                    while (out.length() < runEnd) {
                        appendBlock(out, kind, random);
                    }
                }
            }
        }
        return out.substring(0, chars);
    }

    private static final String[] WORDS = ("the of and to in is that for it as with was on be by this are from at or an "
            + "have not which forecast temperature pressure request response server client session resource prompt tool "
            + "result error timeout latency cache database query index partition replica throughput observability "
            + "customer invoice shipment warehouse inventory schedule deadline meeting summary report analysis")
            .split(" ");
    private static final String CJK =
            "東京大阪天気晴雨雪風温度湿度予報明日今日昨日会議資料報告分析顧客請求出荷倉庫在庫時間数据库服务器请求响应错误超时";

    private static String word(Random random) {
        return WORDS[random.nextInt(WORDS.length)];
    }

    private static void appendBlock(StringBuilder out, int kind, Random random) {
        switch (kind) {
            case 0 -> { // a JSON record of a tool result, pretty-printed or minified
                boolean pretty = random.nextBoolean();
                String nl = pretty ? "\n  " : "";
                String sp = pretty ? " " : "";
                out.append('{').append(nl).append("\"id\":").append(sp).append(random.nextInt(1_000_000)).append(',')
                        .append(nl).append("\"name\":").append(sp).append('"').append(word(random)).append('_')
                        .append(word(random)).append("\",").append(nl).append("\"value\":").append(sp)
                        .append(random.nextInt(100_000) / 100.0).append(',').append(nl).append("\"tags\":").append(sp)
                        .append("[\"").append(word(random)).append("\",").append(sp).append('"').append(word(random))
                        .append("\"],").append(nl).append("\"updated\":").append(sp).append("\"2025-0")
                        .append(1 + random.nextInt(9)).append('-').append(10 + random.nextInt(18)).append("T12:")
                        .append(10 + random.nextInt(50)).append(":00Z\"").append(pretty ? "\n" : "").append("},")
                        .append(pretty ? "\n" : "");
            }
            case 1 -> { // a paragraph of English
                int sentences = 2 + random.nextInt(4);
                for (int s = 0; s < sentences; s++) {
                    int n = 6 + random.nextInt(14);
                    for (int w = 0; w < n; w++) {
                        String word = word(random);
                        out.append(w == 0 ? Character.toUpperCase(word.charAt(0)) + word.substring(1) : word);
                        out.append(w == n - 1 ? ". " : random.nextInt(10) == 0 ? ", " : " ");
                    }
                }
                out.append("\n\n");
            }
            case 2 -> { // Japanese and Chinese
                int n = 20 + random.nextInt(60);
                for (int i = 0; i < n; i++) {
                    out.append(CJK.charAt(random.nextInt(CJK.length())));
                    if (random.nextInt(12) == 0) {
                        out.append(random.nextBoolean() ? '、' : '。');
                    }
                }
                out.append("。\n");
            }
            default -> { // a log line
                out.append("2025-06-").append(10 + random.nextInt(18)).append(" 14:").append(10 + random.nextInt(50))
                        .append(':').append(10 + random.nextInt(50)).append(random.nextBoolean() ? " INFO " : " WARN ")
                        .append(word(random)).append(": took ").append(random.nextInt(5000)).append(" ms, id=")
                        .append(Long.toHexString(random.nextLong())).append('\n');
            }
        }
    }
}
