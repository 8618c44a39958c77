package io.mcpobservatory.tokens;

/**
 * Splits a text into the pieces that byte-pair merging works on, as the encodings' regular expressions do (the rules of
 * OpenAI's tiktoken, evaluated as {@code java.util.regex} does with {@code UNICODE_CHARACTER_CLASS}), without a regex
 * engine: each method returns where the piece that starts at {@code i} ends. Pieces tile the text.
 *
 * <p>o200k_base, alternatives tried in this order at each position (the first that matches wins):
 * <ol>
 *   <li>{@code [^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]*[\p{Ll}\p{Lm}\p{Lo}\p{M}]+(?i:'s|'t|'re|'ve|'m|'ll|'d)?}</li>
 *   <li>{@code [^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]+[\p{Ll}\p{Lm}\p{Lo}\p{M}]*(?i:'s|'t|'re|'ve|'m|'ll|'d)?}</li>
 *   <li>{@code \p{N}{1,3}}</li>
 *   <li>{@code  ?[^\s\p{L}\p{N}]+[\r\n/]*}</li>
 *   <li>{@code \s*[\r\n]+}, then {@code \s+(?!\S)}, then {@code \s+}</li>
 * </ol>
 *
 * <p>cl100k_base: {@code '(?i:[sdmt]|ll|ve|re)}, {@code [^\r\n\p{L}\p{N}]?+\p{L}+}, {@code \p{N}{1,3}},
 * {@code  ?[^\s\p{L}\p{N}]++[\r\n]*}, then the same whitespace rules; letters and numbers are those JTokkit's
 * cl100k parser accepts (up to U+323AF and U+1FBF9: all there are in the Unicode versions of JDK 17 to 24).
 *
 * <p>{@code \s} is Unicode White_Space: Java's {@code \s} with {@code UNICODE_CHARACTER_CLASS}.
 */
final class Pretokenizer {

    /** {@code \p{L}}. */
    private static final int LETTER = 1;
    /** o200k's first class of a word: {@code [\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]}. */
    private static final int UPPER = 2;
    /** o200k's second class of a word: {@code [\p{Ll}\p{Lm}\p{Lo}\p{M}]}. */
    private static final int LOWER = 4;
    /** {@code \p{N}}. */
    private static final int NUMBER = 8;
    /** {@code \s}. */
    private static final int SPACE = 16;
    /** {@code [\r\n]}. */
    private static final int NEWLINE = 32;

    private static final byte[] ASCII = new byte[128];

    static {
        for (int c = 0; c < 128; c++) {
            ASCII[c] = (byte) classify(c);
        }
    }

    private Pretokenizer() {
    }

    /** End of the o200k_base piece that starts at {@code i}. */
    static int o200k(String t, int i) {
        int c = t.codePointAt(i);
        int next = i + Character.charCount(c);
        int k = classOf(c);
        boolean prefix = (k & (LETTER | NUMBER | NEWLINE)) == 0;
        int end;
        if (prefix && (end = lowerWord(t, next)) >= 0 || (end = lowerWord(t, i)) >= 0
                || prefix && (end = upperWord(t, next)) >= 0 || (end = upperWord(t, i)) >= 0) {
            return end;
        }
        if ((k & NUMBER) != 0) {
            return numbers(t, i, true);
        }
        if (c == ' ' && next < t.length() && isOther(classAt(t, next))) {
            return othersThenNewlines(t, next, true);
        }
        if (isOther(k)) {
            return othersThenNewlines(t, i, true);
        }
        return whitespace(t, i);
    }

    /** End of the cl100k_base piece that starts at {@code i}. */
    static int cl100k(String t, int i) {
        int n = t.length();
        int c = t.codePointAt(i);
        int next = i + Character.charCount(c);
        int c1 = next < n ? t.codePointAt(next) : -1;
        if (c == '\'' && c1 >= 0) {
            int u1 = Character.toUpperCase(c1);
            if (u1 == 'S' || u1 == 'D' || u1 == 'T' || u1 == 'M') {
                return i + 2;
            }
            if (i + 2 < n) {
                int u2 = Character.toUpperCase(t.codePointAt(i + 2));
                if (u1 == 'L' && u2 == 'L' || (u1 == 'V' || u1 == 'R') && u2 == 'E') {
                    return i + 3;
                }
            }
        }
        int k = classOf(c, false);
        int k1 = c1 < 0 ? 0 : classOf(c1, false);
        if ((k & LETTER) != 0 || (k1 & LETTER) != 0 && (k & (LETTER | NUMBER | NEWLINE)) == 0) {
            return skip(t, next, LETTER, false); // a letter, or another character and a letter: then all the letters
        }
        if ((k & NUMBER) != 0) {
            return numbers(t, i, false);
        }
        if (isOther(k) || c == ' ' && c1 >= 0 && isOther(k1)) {
            return othersThenNewlines(t, next, false);
        }
        return whitespace(t, i);
    }

    /** {@code [\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]*[\p{Ll}\p{Lm}\p{Lo}\p{M}]+} and a contraction, from {@code s}; or -1. */
    private static int lowerWord(String t, int s) {
        int n = t.length();
        int j = skip(t, s, UPPER, true);
        // Greedy, then giving back one character at a time until the second class matches, as the regex backtracks.
        while (true) {
            if (j < n && (classAt(t, j) & LOWER) != 0) {
                return contraction(t, skip(t, j, LOWER, true));
            }
            if (j == s) {
                return -1;
            }
            j -= Character.charCount(Character.codePointBefore(t, j));
        }
    }

    /** {@code [\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]+[\p{Ll}\p{Lm}\p{Lo}\p{M}]*} and a contraction, from {@code s}; or -1. */
    private static int upperWord(String t, int s) {
        if (s >= t.length() || (classAt(t, s) & UPPER) == 0) {
            return -1;
        }
        return contraction(t, skip(t, skip(t, s, UPPER, true), LOWER, true));
    }

    /**
     * {@code (?i:'s|'t|'re|'ve|'m|'ll|'d)?} at {@code e}: its end, or {@code e}. Case-insensitive as java.util.regex is
     * with Unicode case: a character matches a letter when it is that letter or lower-cases its upper case to it (so
     * {@code 'ſ}, long s, is a contraction).
     */
    private static int contraction(String t, int e) {
        int n = t.length();
        if (e + 1 >= n || t.charAt(e) != '\'') {
            return e;
        }
        char a = t.charAt(e + 1);
        if (is(a, 's') || is(a, 't') || is(a, 'm') || is(a, 'd')) {
            return e + 2;
        }
        if (e + 2 < n) {
            char b = t.charAt(e + 2);
            if ((is(a, 'r') || is(a, 'v')) && is(b, 'e') || is(a, 'l') && is(b, 'l')) {
                return e + 3;
            }
        }
        return e;
    }

    private static boolean is(char c, char lower) {
        return c == lower || Character.toLowerCase(Character.toUpperCase(c)) == lower;
    }

    /** {@code \p{N}{1,3}} from {@code i}, where there is one. */
    private static int numbers(String t, int i, boolean o200k) {
        int end = i;
        for (int count = 0; count < 3 && end < t.length(); count++) {
            int cp = t.codePointAt(end);
            if ((classOf(cp, o200k) & NUMBER) == 0) {
                break;
            }
            end += Character.charCount(cp);
        }
        return end;
    }

    /**
     * {@code [^\s\p{L}\p{N}]+} from {@code s} (where the piece's first such character is or, in cl100k's rule, right after
     * it), then {@code [\r\n/]*} (o200k) or {@code [\r\n]*} (cl100k).
     */
    private static int othersThenNewlines(String t, int s, boolean o200k) {
        int n = t.length();
        int end = s;
        while (end < n) {
            int cp = t.codePointAt(end);
            if (!isOther(classOf(cp, o200k))) {
                break;
            }
            end += Character.charCount(cp);
        }
        while (end < n) {
            char c = t.charAt(end);
            if (c != '\r' && c != '\n' && (c != '/' || !o200k)) {
                break;
            }
            end++;
        }
        return end;
    }

    /**
     * Whitespace from {@code i}: up to the run's last newline ({@code \s*[\r\n]+}); else the run but its last character
     * when a non-space follows ({@code \s+(?!\S)}), so that character can lead the next word; else the run.
     */
    private static int whitespace(String t, int i) {
        int n = t.length();
        int end = i;
        int lastNewline = -1;
        while (end < n) {
            char c = t.charAt(end);
            int k = c < 128 ? ASCII[c] : classify(c);
            if ((k & SPACE) == 0) {
                break;
            }
            if ((k & NEWLINE) != 0) {
                lastNewline = end;
            }
            end++; // every White_Space character is in the BMP
        }
        if (lastNewline >= 0) {
            return lastNewline + 1;
        }
        return end == n || end - i == 1 ? end : end - 1;
    }

    /** The end of the run of characters of {@code klass} that starts at {@code j} (maybe empty). */
    private static int skip(String t, int j, int klass, boolean o200k) {
        int n = t.length();
        while (j < n) {
            int cp = t.codePointAt(j);
            if ((classOf(cp, o200k) & klass) == 0) {
                break;
            }
            j += Character.charCount(cp);
        }
        return j;
    }

    private static boolean isOther(int k) {
        return (k & (SPACE | LETTER | NUMBER)) == 0;
    }

    private static int classAt(String t, int i) {
        return classOf(t.codePointAt(i));
    }

    private static int classOf(int cp) {
        return cp < 128 ? ASCII[cp] : classify(cp);
    }

    /** The classes of o200k's regex; or cl100k's: letters up to U+323AF and numbers up to U+1FBF9 only, as JTokkit's parser. */
    private static int classOf(int cp, boolean o200k) {
        int k = classOf(cp);
        if (o200k) {
            return k;
        }
        if (cp > 0x323AF) {
            k &= ~LETTER;
        }
        if (cp > 0x1FBF9) {
            k &= ~NUMBER;
        }
        return k;
    }

    private static int classify(int cp) {
        int k;
        switch (Character.getType(cp)) {
            case Character.UPPERCASE_LETTER:
            case Character.TITLECASE_LETTER:
                k = LETTER | UPPER;
                break;
            case Character.LOWERCASE_LETTER:
                k = LETTER | LOWER;
                break;
            case Character.MODIFIER_LETTER:
            case Character.OTHER_LETTER:
                k = LETTER | UPPER | LOWER;
                break;
            case Character.NON_SPACING_MARK:
            case Character.ENCLOSING_MARK:
            case Character.COMBINING_SPACING_MARK:
                k = UPPER | LOWER;
                break;
            case Character.DECIMAL_DIGIT_NUMBER:
            case Character.LETTER_NUMBER:
            case Character.OTHER_NUMBER:
                k = NUMBER;
                break;
            case Character.SPACE_SEPARATOR:
            case Character.LINE_SEPARATOR:
            case Character.PARAGRAPH_SEPARATOR:
                k = SPACE;
                break;
            default:
                k = 0;
        }
        if (cp >= '\t' && cp <= '\r' || cp == 0x85) {
            k |= SPACE;
        }
        if (cp == '\r' || cp == '\n') {
            k |= NEWLINE;
        }
        return k;
    }
}
