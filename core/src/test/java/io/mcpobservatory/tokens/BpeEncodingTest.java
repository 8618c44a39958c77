package io.mcpobservatory.tokens;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.IntArrayList;
import java.io.IOException;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The counter's own tokenizer against JTokkit 1.1.0, token by token (the same ranks in the same order, not only as many),
 * in both encodings: every token of the vocabularies, every Unicode character in context, random texts of every
 * kind of character (scripts, marks, numbers, whitespace, emoji, lone surrogates, contractions, special tokens), and
 * long pieces (the heap merge). Every text but those of the first test is also tokenized with the heap merge forced on
 * every piece and with the array merge on every piece up to 4 KB, so both merges are checked on (nearly) everything.
 */
class BpeEncodingTest {

    /** Texts and characters compared in this JVM, for the record (printed by the tests that add to them). */
    private static long texts;
    private static long chars;

    @ParameterizedTest
    @ValueSource(strings = {TokenCounter.O200K_BASE, TokenCounter.CL100K_BASE})
    void everyTokenOfTheVocabularyHasJtokkitsRank(String encoding) throws IOException {
        Vocabulary vocabulary = Vocabulary.load(encoding);
        Encoding reference = JTokkitReference.of(encoding);
        assertEquals(encoding.equals(TokenCounter.O200K_BASE) ? 199_998 : 100_256, vocabulary.size());
        IntArrayList one = new IntArrayList(1);
        for (int rank = 0; rank < vocabulary.size(); rank++) {
            one.clear();
            one.add(rank);
            byte[] token = reference.decodeBytes(one);
            assertEquals(rank, vocabulary.rank(token, 0, token.length), "rank " + rank);
        }
        assertEquals(-1, vocabulary.rank(new byte[] {'x', 'y', 'z', 'z', 'y', 'x', 'q', 'q'}, 0, 8));
    }

    /**
     * Each code point of Unicode (unassigned and private-use ones sampled) after a letter, before one, after a space,
     * before a contraction, after an apostrophe that follows a letter (is it a contraction?), doubled, after a digit,
     * after a newline, before punctuation and before whitespace.
     */
    @ParameterizedTest
    @ValueSource(strings = {TokenCounter.O200K_BASE, TokenCounter.CL100K_BASE})
    void everyCharacterInContext(String encoding) {
        StringBuilder text = new StringBuilder();
        int tested = 0;
        for (int cp = 0; cp <= Character.MAX_CODE_POINT; cp++) {
            int type = Character.getType(cp);
            if (type == Character.UNASSIGNED && cp % 251 != 0 || type == Character.PRIVATE_USE && cp % 4093 != 0) {
                continue;
            }
            String c = new String(Character.toChars(cp));
            text.append('a').append(c).append("b ").append(c).append("'s A'").append(c).append(c).append('1')
                    .append(c).append('\n').append(c).append("!\t\t");
            tested++;
            if (text.length() > 4_000) {
                assertSameTokens(encoding, text.toString(), false);
                text.setLength(0);
            }
        }
        assertSameTokens(encoding, text.toString(), false);
        System.out.printf("%s: %,d code points in context, same tokens as JTokkit (%,d texts, %,d chars so far)%n",
                encoding, tested, texts, chars);
    }

    @ParameterizedTest
    @ValueSource(strings = {TokenCounter.O200K_BASE, TokenCounter.CL100K_BASE})
    void randomTextsOfEveryKind(String encoding) {
        Random random = new Random(20261202L + encoding.hashCode());
        long before = chars;
        for (int i = 0; i < 3_000; i++) {
            StringBuilder text = new StringBuilder();
            int atoms = 1 + random.nextInt(i % 10 == 0 ? 400 : 40);
            for (int a = 0; a < atoms; a++) {
                appendAtom(text, random);
            }
            assertSameTokens(encoding, text.toString());
        }
        System.out.printf("%s: 3,000 random texts, %,d chars, same tokens as JTokkit%n", encoding, chars - before);
    }

    /** Pieces of hundreds to thousands of bytes: where JTokkit switches merge algorithms (500 bytes) and we do (256). */
    @ParameterizedTest
    @ValueSource(strings = {TokenCounter.O200K_BASE, TokenCounter.CL100K_BASE})
    void longPieces(String encoding) {
        Random random = new Random(7L + encoding.hashCode());
        String[] alphabets = {"ab", "abc", "aeiou", "etaoinshrdlu", "abcdefghijklmnopqrstuvwxyz", "ABCDEFGHIJKLMNOPQRSTUVWXYZ",
            "東京大阪天気晴雨雪風温度湿度予報明日今日的一是不了人我在有他这为之大来以个中上们", "กขคงจฉชซญดตถทนบปผพฟภมยรลวศสหอฮะาำิีึืุูเแโใไ่้๊๋",
            "абвгдеёжзийклмнопрстуфхцчшщъыьэюя", "αβγδεζηθικλμνξοπρστυφχψω", "ـبتثجحخدذرزسشصضطظعغفقكلمنهوي",
            "!@#$%^&*()-=_+[]{};:,./<>?`~\"", "=-*", "    \t", " \n", "\u3000 \u00A0", "😀🎉🚀👩‍👩‍👧🇫🇷", "ーー々〻",
            "가나다라마바사아자차카타파하", "𝐀𝐁𝐂𝐚𝐛𝐜", "é\u0301\u0308"};
        long before = chars;
        for (int i = 0; i < 600; i++) {
            String alphabet = alphabets[random.nextInt(alphabets.length)];
            int[] cps = alphabet.codePoints().toArray();
            int length = 100 + random.nextInt(i % 20 == 0 ? 6_000 : 1_200);
            int period = 1 + random.nextInt(4);
            StringBuilder text = new StringBuilder();
            for (int k = 0; k < length; k++) {
                int cp = switch (i % 3) {
                    case 0 -> cps[random.nextInt(cps.length)];
                    case 1 -> cps[k / period % cps.length];
                    default -> cps[random.nextInt(Math.min(2, cps.length))];
                };
                text.appendCodePoint(cp);
            }
            assertSameTokens(encoding, text.toString());
        }
        System.out.printf("%s: 600 texts of long pieces, %,d chars, same tokens as JTokkit%n", encoding, chars - before);
    }

    /** The tool results of the other tests: JSON records, prose, CJK and log lines, 200,000 chars in each layout. */
    @ParameterizedTest
    @ValueSource(strings = {TokenCounter.O200K_BASE, TokenCounter.CL100K_BASE})
    void mixedToolResults(String encoding) {
        for (TokenCounterTest.Layout layout : TokenCounterTest.Layout.values()) {
            assertSameTokens(encoding, TokenCounterTest.mixedPayload(new Random(11), 200_000, layout));
        }
    }

    /** One piece of a random text: a word of some script, a number, whitespace, punctuation, an emoji, JSON... */
    private static void appendAtom(StringBuilder out, Random random) {
        switch (random.nextInt(16)) {
            case 0 -> out.append(pick(random, "hello", "World", "HTTP", "iPhone", "McDonald", "don", "I", "O", "naïve",
                    "Straße", "ǅemal", "ǈubljana", "ﬁne", "Ĳssel")).append(pick(random, "", "", "'s", "'S", "'t", "'re",
                    "'RE", "'Re", "'ve", "'m", "'ll", "'LL", "'lL", "'d", "'ſ", "'x", "'", "''s", "’s"));
            case 1 -> out.append(pick(random, "0", "12", "123", "1234", "3.14159", "1,000,000", "٠١٢٣٤٥", "०१२३", "０１２３４",
                    "²³¹", "½¾", "ⅫⅣ", "①②③", "𝟎𝟏𝟐", "1st", "2nd", "v1.2.3", "0x1F", "1e-9"));
            case 2 -> {
                int n = 1 + random.nextInt(6);
                for (int k = 0; k < n; k++) {
                    out.append(pick(random, " ", " ", " ", "\t", "\n", "\r", "\r\n", "\u000B", "\u000C", "\u0085", "\u00A0",
                            "\u1680", "\u2000", "\u2009", "\u2028", "\u2029", "\u202F", "\u205F", "\u3000", "\u200B",
                            "\u180E", "\uFEFF"));
                }
            }
            case 3 -> {
                int n = 1 + random.nextInt(5);
                for (int k = 0; k < n; k++) {
                    out.append(pick(random, "!", "\"", "#", "$", "%", "&", "'", "(", ")", "*", "+", ",", "-", ".", "/",
                            ":", ";", "<", "=", ">", "?", "@", "[", "\\", "]", "^", "_", "`", "{", "|", "}", "~", "«", "»",
                            "“", "”", "‘", "’", "…", "—", "–", "€", "£", "©", "°", "±", "×", "÷", "§", "•", "、", "。",
                            "「", "」", "，", "！", "//", "/\n", "\n/"));
                }
            }
            case 4 -> out.append(pick(random, "Ελληνικά", "ΑΘΗΝΑ", "Москва", "ПРИВЕТ", "Ёлка", "مرحبا", "שָׁלוֹם", "नमस्ते",
                    "किताब", "สวัสดีครับ", "ภาษาไทย", "안녕하세요", "ｶﾀｶﾅ", "カタカナー", "ひらがな", "漢字々", "中文字符",
                    "ʰʲˆ", "ᵃᵇ", "Ꭰ", "ꙮ", "𐌰𐌱", "𝐀𝐚", "𠀀𠀁", "𝔘𝔫𝔦"));
            case 5 -> out.append(pick(random, "e\u0301", "a\u0308\u0304", "\u0301", "\u20DD", "x\u20DDy", "A\u0301B",
                    "1\uFE0F\u20E3", "\u0903", "क\u093F", "각", "é", "Å", "\u0345"));
            case 6 -> out.append(pick(random, "😀", "🎉🚀", "👩‍👩‍👧", "👍🏽", "🇫🇷🇯🇵", "❤️", "☃", "✅", "🧑‍💻", "🏳️‍🌈",
                    "\uD83D", "\uDE00", "\uD800\uD800", "\uDFFF\uD800", "x\uDC00y"));
            case 7 -> out.append(pick(random, "<|endoftext|>", "<|fim_prefix|>", "<|fim_middle|>", "<|fim_suffix|>",
                    "<|endofprompt|>", "<|im_start|>", "<|"));
            case 8 -> out.append(pick(random, "{\"type\":\"text\",\"text\":\"21.5 °C\"}", "[1,2,3]", "{\n  \"a\": null\n}",
                    "\"isError\":false", "https://example.com/a/b?c=d&e=f#g", "/usr/local/bin/", "C:\\Users\\x",
                    "\\n\\t\\\"", "foo_bar_baz", "camelCaseName", "SCREAMING_CASE", "kebab-case-name", "a.b.c()"));
            case 9 -> out.append(pick(random, "    return x;\n", "\tif (a) {\n\t\tb();\n\t}\n", "def f(x):\n    pass\n",
                    "// comment\n", "/* c */", "<div class=\"x\">", "</div>", "SELECT * FROM t;", "x += 1  # ok\n"));
            case 10 -> out.appendCodePoint(random.nextInt(Character.MAX_CODE_POINT + 1)); // anything, defined or not
            case 11 -> out.appendCodePoint(random.nextInt(0x3000)); // the scripts, symbols and marks of the lower BMP
            case 12 -> {
                int n = 1 + random.nextInt(12);
                for (int k = 0; k < n; k++) {
                    out.append((char) ('a' + random.nextInt(26)));
                }
            }
            case 13 -> {
                int n = 1 + random.nextInt(12);
                for (int k = 0; k < n; k++) {
                    out.append((char) (0x4E00 + random.nextInt(0x5000)));
                }
            }
            case 14 -> out.append(pick(random, " ", " ", "\n", ", ", ". ", "\n\n", "  ", " - "));
            default -> {
                byte[] bytes = new byte[1 + random.nextInt(12)];
                random.nextBytes(bytes);
                out.append(java.util.Base64.getEncoder().encodeToString(bytes));
            }
        }
    }

    private static String pick(Random random, String... choices) {
        return choices[random.nextInt(choices.length)];
    }

    /** The same tokens as JTokkit's encodeOrdinary, the same count as its countTokensOrdinary, with both merges. */
    static void assertSameTokens(String encoding, String text) {
        assertSameTokens(encoding, text, true);
    }

    /**
     * The same tokens as JTokkit's encodeOrdinary and as many as its countTokensOrdinary; with the heap merge forced on
     * every piece and the array merge on every piece too when {@code bothMerges}.
     */
    static void assertSameTokens(String encoding, String text, boolean bothMerges) {
        Encoding reference = JTokkitReference.of(encoding);
        int[] expected = reference.encodeOrdinary(text).toArray();
        BpeEncoding ours = BpeEncoding.get(encoding);
        // The array merge up to 4 KB pieces only: it is quadratic, and the longest pieces here are 18 KB.
        int[] heapFroms = bothMerges ? new int[] {BytePairMerge.HEAP_FROM, 2, 4_096}
                : new int[] {BytePairMerge.HEAP_FROM};
        for (int heapFrom : heapFroms) {
            IntArrayList actual = new IntArrayList();
            ours.tokens(text, heapFrom, actual::add);
            int[] tokens = actual.toArray();
            if (!Arrays.equals(expected, tokens)) {
                fail(encoding + " (heap from " + heapFrom + " bytes): " + difference(expected, tokens, text));
            }
        }
        long count = ours.count(text);
        assertEquals(expected.length, count, () -> encoding + " count: " + escape(text));
        if (bothMerges) {
            assertEquals(reference.countTokensOrdinary(text), count, () -> encoding + " count: " + escape(text));
        }
        texts++;
        chars += text.length();
    }

    private static String difference(int[] expected, int[] actual, String text) {
        int i = Arrays.mismatch(expected, actual);
        int from = Math.max(0, i - 3);
        return "JTokkit " + Arrays.toString(Arrays.copyOfRange(expected, from, Math.min(expected.length, i + 4)))
                + ", ours " + Arrays.toString(Arrays.copyOfRange(actual, from, Math.min(actual.length, i + 4)))
                + " from token " + from + "; text: " + escape(text.length() > 600 ? text.substring(0, 600) + "..." : text);
    }

    private static String escape(String text) {
        StringBuilder out = new StringBuilder();
        text.codePoints().forEach(cp -> {
            if (cp >= 0x20 && cp < 0x7F) {
                out.append((char) cp);
            } else {
                out.append(String.format("\\u{%X}", cp));
            }
        });
        return out.toString();
    }
}
