package io.mcpobservatory.tokens;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingRegistry;
import com.knuddels.jtokkit.api.EncodingType;
import io.mcpobservatory.log.Log;

/**
 * Counts the tokens a model sees for a text, with JTokkit's BPE encodings. Meant for the drainer thread: the vocabulary
 * is loaded on the first count, not at construction (o200k_base takes about a second and keeps 30 MB of heap), and the
 * work per text is bounded by {@code maxChars} whatever the text's length.
 *
 * <p>Up to {@code maxChars} characters the count is exact. A longer text is sampled (see {@link TextSample}): slices of
 * {@code maxChars} characters in all, spread evenly over the text so that every part of a mixed payload (JSON, prose,
 * CJK) is represented in proportion to its length, are tokenized and extrapolated to the whole length; the result is
 * marked estimated. {@link #sample(String)} takes those slices without tokenizing, so a caller can keep a bounded copy
 * of a huge payload and count it later (on the drainer).
 *
 * <p>Never throws: if the encoding cannot be loaded or JTokkit fails on a text, the count is {@code chars / 4}, marked
 * estimated, and the problem is said once on stderr.
 */
public final class TokenCounter {

    public static final String O200K_BASE = "o200k_base";
    public static final String CL100K_BASE = "cl100k_base";
    public static final int DEFAULT_MAX_CHARS = 100_000;

    /** A token count, and whether it was extrapolated or guessed rather than counted exactly. */
    public record Count(long tokens, boolean estimated) {
        static final Count ZERO = new Count(0, false);
    }

    /** The lazy registry loads only the vocabularies asked for, once per JVM, and is safe to share between threads. */
    private static final class Registry {
        static final EncodingRegistry INSTANCE = Encodings.newLazyEncodingRegistry();
    }

    private final EncodingType type;
    private final int maxChars;
    /** Set on the first count; {@link #loadFailed} stops retrying a vocabulary that cannot be loaded. */
    private volatile Encoding encoding;
    private volatile boolean loadFailed;

    public TokenCounter(String encodingName) {
        this(encodingName, DEFAULT_MAX_CHARS);
    }

    /**
     * @param encodingName {@value #O200K_BASE} or {@value #CL100K_BASE} (the agent's configuration admits only these)
     * @param maxChars     most characters tokenized per text, positive
     * @throws IllegalArgumentException for another encoding name or a maxChars below 1
     */
    public TokenCounter(String encodingName, int maxChars) {
        if (O200K_BASE.equals(encodingName)) {
            this.type = EncodingType.O200K_BASE;
        } else if (CL100K_BASE.equals(encodingName)) {
            this.type = EncodingType.CL100K_BASE;
        } else {
            throw new IllegalArgumentException("unsupported token encoding '" + encodingName + "'; use " + O200K_BASE
                    + " or " + CL100K_BASE);
        }
        if (maxChars < 1) {
            throw new IllegalArgumentException("maxChars must be positive: " + maxChars);
        }
        this.maxChars = maxChars;
    }

    public String encodingName() {
        return type.getName();
    }

    public int maxChars() {
        return maxChars;
    }

    /** Tokens of {@code text}: exact up to {@code maxChars} characters, extrapolated beyond; 0 for null or empty. */
    public Count count(String text) {
        return count(sample(text));
    }

    /**
     * What {@link #count(TextSample)} will tokenize, copied out of {@code text}: at most {@code maxChars} characters.
     * No tokenizer and no vocabulary, and bounded work whatever the text's length (a copy of at most maxChars
     * characters and a scan of at most {@value TextSample#SCAN_FACTOR} times that), so it can be taken where the text is
     * at hand and counted later on another thread. Never throws.
     */
    public TextSample sample(String text) {
        return TextSample.of(text, maxChars);
    }

    /** The tokens of a {@link #sample(String) sample}: exact if it is the whole text, else extrapolated. Never throws. */
    public Count count(TextSample sample) {
        if (sample == null || sample.length == 0) {
            return Count.ZERO;
        }
        try {
            Encoding enc = encoding();
            if (enc == null || sample.chars.isEmpty()) {
                return guess(sample.length);
            }
            if (sample.isWhole()) {
                return new Count(countOrdinary(enc, sample.chars), false);
            }
            return new Count(extrapolate(enc, sample), true);
        } catch (RuntimeException | StackOverflowError | LinkageError e) {
            // StackOverflowError: java.util.regex recurses on some pathological inputs; it is the text, not the JVM.
            Log.warnOnce("tokens-count-failed-" + type.getName(), "token counting with " + type.getName()
                    + " failed on a text of " + sample.length + " chars; estimating chars/4 for such texts: " + e);
            return guess(sample.length);
        }
    }

    /**
     * Tokens per piece of the slices, times the pieces of the scanned windows around them, times how much longer the
     * text is than those windows. Pieces are counted slice by slice, as the slices are tokenized: joined, two slices'
     * edge pieces could merge.
     */
    private static long extrapolate(Encoding enc, TextSample sample) {
        long tokens = 0;
        long pieces = 0;
        int from = 0;
        for (int end : sample.sliceEnds) {
            tokens += countOrdinary(enc, sample.chars.substring(from, end));
            pieces += TextSample.pieces(sample.chars, from, end);
            from = end;
        }
        double perChar = pieces > 0 && sample.scannedPieces > 0 && sample.scannedChars > 0
                ? (double) tokens / pieces * sample.scannedPieces / sample.scannedChars
                : (double) tokens / sample.chars.length(); // no pieces (only spaces?): plain tokens per character
        return Math.round(perChar * sample.length);
    }

    /**
     * Ordinary: a tool result that contains {@code <|endoftext|>} is text the model reads as text, and JTokkit's
     * {@code countTokens} would throw on it. {@code countTokensOrdinary} also counts without building a token list.
     */
    private static long countOrdinary(Encoding enc, String text) {
        return enc.countTokensOrdinary(text);
    }

    private Encoding encoding() {
        Encoding enc = encoding;
        if (enc != null || loadFailed) {
            return enc;
        }
        synchronized (this) {
            if (encoding == null && !loadFailed) {
                try {
                    encoding = Registry.INSTANCE.getEncoding(type);
                } catch (RuntimeException | LinkageError e) {
                    loadFailed = true;
                    Log.warnOnce("tokens-load-failed-" + type.getName(), "token encoding " + type.getName()
                            + " could not be loaded; token counts are estimated as chars/4: " + e);
                }
            }
            return encoding;
        }
    }

    /** About four characters per token in English text: the usual rule of thumb when nothing better is at hand. */
    private static Count guess(int chars) {
        return new Count((chars + 3) / 4, true);
    }
}
