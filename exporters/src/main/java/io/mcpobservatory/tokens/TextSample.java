package io.mcpobservatory.tokens;

import java.util.Arrays;

/**
 * The part of a text that {@link TokenCounter} tokenizes, copied out of it: the text itself up to {@code maxChars}
 * characters; beyond, slices of at most {@code maxChars} characters in all, spread evenly over the text, and what is
 * needed to extrapolate from them. Immutable, and holds at most {@code maxChars} characters whatever the text's size, so
 * it can be taken where the text is at hand and counted later elsewhere (on the drainer).
 *
 * <p>Why not tokens per character: payloads mix parts of very different density (a CJK character is about a token,
 * English prose about a fifth of one), so a sample that happens to hold a little more CJK than the whole skews the
 * extrapolation. Tokens per <em>piece</em> (see {@link #pieces}) vary far less, so the extrapolation counts the pieces of
 * the slices and of a larger part of the text ({@value #SCAN_FACTOR} times maxChars, around the slices), and scales
 * by characters only beyond that. On 5 MB mixed payloads (TokenCounterTest's three layouts, 20 seeds each, both
 * encodings) the error with tokens per character reached 8%; with pieces it stayed under 2%, and under 4% with Russian
 * prose and base64 blobs mixed in.
 */
public final class TextSample {

    static final TextSample EMPTY = new TextSample("", null, 0, 0, 0);

    /**
     * Many short slices rather than a few long ones: parts of different density are represented in proportion only if
     * the slices are many more than the parts. 100 characters is still long enough that a cut, made at whitespace
     * where possible, changes a slice's count by about 1%. (With tokens per character, 32 slices of 3,125 characters
     * erred by up to 16% on payloads made of 0.5 to 5 KB runs of one kind.)
     */
    static final int MIN_SLICE_CHARS = 100;
    static final int MAX_SLICES = 1000;
    /**
     * How far a slice edge may move to land on whitespace (or at least on punctuation) instead of inside a word. Short,
     * and both edges move forward: a longer search, or ends moving back while starts move forward, skips text without
     * whitespace (CJK, minified JSON) more often than prose, which biased the estimate by up to 4%.
     */
    static final int EDGE_SEARCH_CHARS = 8;
    /** Pieces are counted on at most this many times maxChars characters: cheap (a few ns a char), still bounded. */
    static final int SCAN_FACTOR = 20;

    /** The whole text, or its slices one after the other. */
    final String chars;
    /** Where each slice ends in {@link #chars}; null when {@link #chars} is the whole text. */
    final int[] sliceEnds;
    final int length;
    /** Characters around the slices whose pieces were counted, and their pieces; 0 when not sliced. */
    final int scannedChars;
    final long scannedPieces;

    private TextSample(String chars, int[] sliceEnds, int length, int scannedChars, long scannedPieces) {
        this.chars = chars;
        this.sliceEnds = sliceEnds;
        this.length = length;
        this.scannedChars = scannedChars;
        this.scannedPieces = scannedPieces;
    }

    /** Characters of the whole text. */
    public int length() {
        return length;
    }

    /** Characters held, all of which will be tokenized: at most maxChars. */
    public int sampledChars() {
        return chars.length();
    }

    /** True when the sample is the whole text, so its count is exact. */
    public boolean isWhole() {
        return sliceEnds == null;
    }

    /** Null and empty give an empty sample. Never throws. */
    static TextSample of(String text, int maxChars) {
        if (text == null || text.isEmpty()) {
            return EMPTY;
        }
        if (text.length() <= maxChars) {
            return new TextSample(text, null, text.length(), 0, 0);
        }
        try {
            return slices(text, maxChars);
        } catch (RuntimeException e) { // not expected: every index stays inside the text; a guess beats losing the span
            return new TextSample("", null, text.length(), 0, 0);
        }
    }

    /**
     * Slices whose starts spread evenly from the text's start to its end. Each begins at the first cut at or after its
     * nominal start and ends at the first cut at or after its nominal end; the nominal length leaves room for that
     * search, so the slices hold at most maxChars characters in all. Around each slice, a window of up to
     * {@value #SCAN_FACTOR} slice lengths (no more than the distance to the next slice) has its pieces counted.
     */
    private static TextSample slices(String text, int maxChars) {
        int length = text.length();
        int slices = Math.max(1, Math.min(MAX_SLICES, maxChars / MIN_SLICE_CHARS));
        int sliceChars = maxChars / slices;
        long span = length - sliceChars;
        long spacing = slices == 1 ? length : span / (slices - 1) + 1;
        int window = (int) Math.max(sliceChars, Math.min((long) SCAN_FACTOR * sliceChars, spacing));
        StringBuilder chars = new StringBuilder(slices * sliceChars);
        int[] ends = new int[slices];
        int count = 0;
        long scannedChars = 0;
        long scannedPieces = 0;
        for (int i = 0; i < slices; i++) {
            int nominalStart = slices == 1 ? 0 : (int) (span * i / (slices - 1));
            int nominalEnd = nominalStart + sliceChars;
            int start = cutAfter(text, nominalStart, Math.min(length, nominalStart + EDGE_SEARCH_CHARS));
            int end = cutAfter(text, Math.max(start, nominalEnd - EDGE_SEARCH_CHARS), nominalEnd);
            if (end > start) {
                chars.append(text, start, end);
                ends[count++] = chars.length();
            }
            int windowEnd = Math.min(length, nominalStart + window);
            scannedPieces += pieces(text, nominalStart, windowEnd);
            scannedChars += windowEnd - nominalStart;
        }
        return new TextSample(chars.toString(), Arrays.copyOf(ends, count), length,
                (int) Math.min(Integer.MAX_VALUE, scannedChars), scannedPieces);
    }

    /**
     * The first good place to cut {@code text} in [{@code from}, {@code limit}): before whitespace, which BPE
     * vocabularies attach to the following word (" word" is one token), so no token is split; failing that (minified
     * JSON, CJK) before a character that is neither letter nor digit; failing that {@code from} itself, moved off the
     * second half of a surrogate pair. The text's start and end are cuts already.
     */
    static int cutAfter(String text, int from, int limit) {
        if (from <= 0 || from >= text.length()) {
            return Math.max(0, Math.min(from, text.length()));
        }
        int punctuation = -1;
        for (int i = from; i < limit; i++) {
            char c = text.charAt(i);
            if (Character.isWhitespace(c)) {
                return i;
            }
            if (punctuation < 0 && !Character.isLetterOrDigit(c) && !Character.isSurrogate(c)) {
                punctuation = i;
            }
        }
        if (punctuation >= 0) {
            return punctuation;
        }
        return Character.isLowSurrogate(text.charAt(from)) ? from + 1 : from;
    }

    private static final int SPACE = 0;
    private static final int WORD = 1;
    private static final int DIGITS = 2;
    private static final int LINE_BREAK = 3;
    private static final int SYMBOL = 4;
    private static final int SPACELESS = 5;

    /**
     * About the pieces a BPE pre-tokenizer cuts text into before it merges bytes into tokens, without its regular
     * expression: a run of letters (a word), each group of up to three digits, a run of punctuation or symbols, a run of
     * line breaks, and each character of a script written without spaces (ideographs, kana, Hangul), where a token is
     * about a character. Spaces and tabs belong to the next piece. Most such pieces are one token, a few several.
     */
    static long pieces(CharSequence text, int from, int to) {
        long pieces = 0;
        int previous = SPACE;
        int digits = 0;
        for (int i = from; i < to; i++) {
            char c = text.charAt(i);
            int kind;
            if (c < 0x80) {
                char lower = (char) (c | 0x20);
                if (lower >= 'a' && lower <= 'z') {
                    kind = WORD;
                } else if (c >= '0' && c <= '9') {
                    kind = DIGITS;
                } else if (c == ' ' || c == '\t') {
                    kind = SPACE;
                } else if (c == '\n' || c == '\r') {
                    kind = LINE_BREAK;
                } else {
                    kind = SYMBOL;
                }
            } else if (Character.isLowSurrogate(c)) {
                continue; // counted with the pair's first half
            } else if (isSpaceless(c)) {
                pieces++;
                previous = SPACELESS;
                continue;
            } else if (Character.isLetter(c)) {
                kind = WORD;
            } else if (Character.isWhitespace(c)) {
                kind = SPACE;
            } else {
                kind = SYMBOL;
            }
            if (kind == DIGITS) {
                if (previous != DIGITS || digits == 3) {
                    pieces++;
                    digits = 0;
                }
                digits++;
            } else if (kind != previous && kind != SPACE) {
                pieces++;
            }
            previous = kind;
        }
        return pieces;
    }

    private static boolean isSpaceless(char c) {
        return Character.isIdeographic(c)
                || (c >= 0x3040 && c <= 0x30FF) // hiragana, katakana
                || (c >= 0xAC00 && c <= 0xD7A3); // Hangul syllables
    }
}
