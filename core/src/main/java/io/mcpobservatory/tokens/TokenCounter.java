package io.mcpobservatory.tokens;

import io.mcpobservatory.bootstrap.Payload;
import io.mcpobservatory.log.Log;

/**
 * Counts the tokens a model sees for a text, with OpenAI's BPE encodings ({@link BpeEncoding}: the same counts as
 * JTokkit's {@code countTokensOrdinary}, tested). Meant for the drainer thread: the vocabulary is loaded on the first
 * count, not at construction (o200k_base: about 4 MB of heap, read in tens of milliseconds), and the work per text is
 * bounded by {@code maxChars} whatever the text's length.
 *
 * <p>Up to {@code maxChars} characters the count is exact. A longer text is sampled with {@link Payload#slice}, the one
 * sampling the agent has (the request thread uses it too, to keep a bounded copy of a huge payload): short slices of
 * {@code maxChars} characters in all, spread evenly so that every kind of content in a mixed payload (JSON, prose, CJK)
 * is represented in proportion to its length, are tokenized and the count is scaled to the whole length by characters;
 * the result is marked estimated.
 *
 * <p>Never throws: if the encoding cannot be loaded or counting fails on a text, the count is {@code chars / 4}, marked
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

    private final String name;
    private final int maxChars;
    /** Set on the first count (one per encoding and JVM); {@link #loadFailed} stops retrying a vocabulary not found. */
    private volatile BpeEncoding encoding;
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
        if (O200K_BASE.equals(encodingName) || CL100K_BASE.equals(encodingName)) {
            this.name = encodingName;
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
        return name;
    }

    public int maxChars() {
        return maxChars;
    }

    /**
     * Tokens of {@code text}: exact up to {@code maxChars} characters; beyond, sampled the way the request thread samples
     * a long payload ({@link Payload#slice}) and extrapolated; 0 for null or empty. Never throws.
     */
    public Count count(String text) {
        if (text == null || text.isEmpty()) {
            return Count.ZERO;
        }
        if (text.length() > maxChars) {
            return count(Payload.slice(text, maxChars));
        }
        long tokens = tokens(text);
        return tokens < 0 ? guess(text.length()) : new Count(tokens, false);
    }

    /** Tokens of a sampled text: its pieces counted exactly, scaled to the full length by characters; estimated. */
    public Count count(Payload.Sliced sliced) {
        long sampledChars = 0;
        long sampledTokens = 0;
        for (String slice : sliced.slices) {
            long tokens = tokens(slice);
            if (tokens < 0) {
                return guess(sliced.fullChars);
            }
            sampledChars += slice.length();
            sampledTokens += tokens;
        }
        return sampledChars == 0 ? guess(sliced.fullChars)
                : new Count(Math.round((double) sampledTokens * sliced.fullChars / sampledChars), true);
    }

    /**
     * Exact tokens of a text, or -1 when the vocabulary is unavailable or counting fails on it (said once). Ordinary: a
     * tool result that contains {@code <|endoftext|>} is text the model reads as text, not the special token.
     */
    private long tokens(String text) {
        try {
            BpeEncoding enc = encoding();
            return enc == null ? -1 : enc.count(text);
        } catch (RuntimeException | StackOverflowError | LinkageError e) {
            Log.warnOnce("tokens-count-failed-" + name, "token counting with " + name + " failed on a text of "
                    + text.length() + " chars; estimating chars/4 for such texts: " + e);
            return -1;
        }
    }

    private BpeEncoding encoding() {
        BpeEncoding enc = encoding;
        if (enc != null || loadFailed) {
            return enc;
        }
        synchronized (this) {
            if (encoding == null && !loadFailed) {
                try {
                    encoding = BpeEncoding.get(name);
                } catch (RuntimeException | LinkageError e) {
                    loadFailed = true;
                    Log.warnOnce("tokens-load-failed-" + name, "token encoding " + name
                            + " could not be loaded; token counts are estimated as chars/4: " + e);
                }
            }
            return encoding;
        }
    }

    /** About four characters per token in English text: the usual rule of thumb when nothing better is at hand. */
    private static Count guess(long chars) {
        return new Count((chars + 3) / 4, true);
    }
}
